namespace Aetherflow.Engine.Demo;

/// <summary>
/// The demo project, <c>strkit</c>: a few string tools in POSIX shell with a test runner (nothing to install), and six
/// tasks whose dependencies make the scheduler visible — three start ready (two run, one queues on a pool of two),
/// the others wait for the work they build on. Every task touches its own files, so parallel branches land without
/// conflicts.
/// </summary>
public static class DemoCatalog
{
    /// <summary>The folder name of the project inside the demo's throw-away folder.</summary>
    public const string ProjectFolderName = "strkit";

    /// <summary>The files of the first commit, by path relative to the project root.</summary>
    public static IReadOnlyDictionary<string, string> InitialFiles { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["README.md"] = Text("""
            # strkit

            Small string tools for the shell. This project was made by `aetherflow demo`: its tasks are worked on by
            scripted demo agents that replay canned steps, not by a real model.

                ./strkit upper hello world        # HELLO WORLD

            ## Commands

            * `upper` — print the words in capitals

            ## Tests

                sh tests/run.sh
            """),
        ["strkit"] = Text("""
            #!/bin/sh
            # strkit: small string tools. Usage: strkit <command> [words...]
            set -eu
            here=$(cd "$(dirname "$0")" && pwd)
            command=${1:-help}
            if [ $# -gt 0 ]; then shift; fi
            if [ "$command" = help ]; then
              echo "usage: strkit <command> [words...]"
              echo "commands:"
              echo "  upper: print the words in capitals"
              exit 0
            fi
            if [ ! -f "$here/cmd/$command.sh" ]; then
              echo "strkit: unknown command '$command' (try: strkit help)" >&2
              exit 2
            fi
            exec sh "$here/cmd/$command.sh" "$@"
            """),
        ["cmd/upper.sh"] = Text("""
            # upper: print the words in capitals
            printf '%s\n' "$*" | tr '[:lower:]' '[:upper:]'
            """),
        ["tests/run.sh"] = Text("""
            #!/bin/sh
            # Runs every tests/*.t.sh from the project root and prints "N passed, N failed".
            cd "$(dirname "$0")/.."
            passed=0
            failed=0
            for test in tests/*.t.sh; do
              if sh "$test"; then
                passed=$((passed + 1))
              else
                failed=$((failed + 1))
                echo "FAIL $test"
              fi
            done
            echo "$passed passed, $failed failed"
            [ "$failed" -eq 0 ]
            """),
        ["tests/assert.sh"] = Text("""
            # expect ACTUAL EXPECTED: ends the test with a message when the two differ.
            expect() {
              if [ "$1" != "$2" ]; then
                echo "  expected '$2', got '$1'" >&2
                exit 1
              fi
            }
            """),
        ["tests/upper.t.sh"] = Text("""
            . tests/assert.sh
            expect "$(sh strkit upper hello world)" "HELLO WORLD"
            """),
    };

    /// <summary>The files of the first commit that are executable.</summary>
    public static IReadOnlyList<string> ExecutableFiles { get; } = ["strkit", "tests/run.sh"];

    /// <summary>The message of the first commit.</summary>
    public const string InitialCommitMessage = "strkit: small string tools with a test runner";

    /// <summary>The tasks, in the order they are added (dependencies first).</summary>
    public static IReadOnlyList<DemoTaskPlan> Tasks { get; } =
    [
        new DemoTaskPlan
        {
            Key = "reverse",
            Title = "Add a reverse command",
            Description = "strkit needs `strkit reverse <words>`, which prints the words backwards, character by character. The palindrome command will build on it.",
            DefinitionOfDone = "`strkit reverse hello` prints `olleh`; tests/reverse.t.sh covers it and `sh tests/run.sh` passes.",
            Priority = 1,
            Reads = ["cmd/upper.sh"],
            Changes =
            [
                DemoChange.Create("cmd/reverse.sh", Text("""
                    # reverse: print the words backwards, character by character
                    printf '%s\n' "$*" | awk '{ out = ""; for (i = length($0); i > 0; i--) out = out substr($0, i, 1); print out }'
                    """)),
                DemoChange.Create("tests/reverse.t.sh", Text("""
                    . tests/assert.sh
                    expect "$(sh strkit reverse hello)" "olleh"
                    expect "$(sh strkit reverse ab cd)" "dc ba"
                    """)),
            ],
            CommitMessage = "Add strkit reverse: the palindrome command builds on it",
            Summary = "Added `strkit reverse` with tests.",
        },
        new DemoTaskPlan
        {
            Key = "count",
            Title = "Add a count command",
            Description = "`strkit count <words>` prints how many characters the words have, spaces included.",
            DefinitionOfDone = "`strkit count hello` prints `5`; tests/count.t.sh covers it and `sh tests/run.sh` passes.",
            Priority = 2,
            Reads = ["cmd/upper.sh"],
            Changes =
            [
                DemoChange.Create("cmd/count.sh", Text("""
                    # count: print how many characters the words have, spaces included
                    printf '%s' "$*" | wc -m | tr -d ' '
                    """)),
                DemoChange.Create("tests/count.t.sh", Text("""
                    . tests/assert.sh
                    expect "$(sh strkit count hello)" "5"
                    expect "$(sh strkit count a b)" "3"
                    """)),
            ],
            CommitMessage = "Add strkit count, so scripts can measure their input",
            Summary = "Added `strkit count` with tests.",
        },
        new DemoTaskPlan
        {
            Key = "lower",
            Title = "Add a lower command",
            Description = "The counterpart of upper: `strkit lower <words>` prints the words in small letters.",
            DefinitionOfDone = "`strkit lower Hello WORLD` prints `hello world`; tests/lower.t.sh covers it and `sh tests/run.sh` passes.",
            Priority = 3,
            Reads = ["cmd/upper.sh"],
            Changes =
            [
                DemoChange.Create("cmd/lower.sh", Text("""
                    # lower: print the words in small letters
                    printf '%s\n' "$*" | tr '[:upper:]' '[:lower:]'
                    """)),
                DemoChange.Create("tests/lower.t.sh", Text("""
                    . tests/assert.sh
                    expect "$(sh strkit lower Hello WORLD)" "hello world"
                    """)),
            ],
            CommitMessage = "Add strkit lower, the counterpart of upper",
            Summary = "Added `strkit lower` with tests.",
        },
        new DemoTaskPlan
        {
            Key = "palindrome",
            Title = "Add a palindrome command built on reverse",
            Description = "`strkit palindrome <words>` prints yes when the words read the same backwards (ignoring case), no otherwise. Reuse cmd/reverse.sh instead of reversing again.",
            DefinitionOfDone = "`strkit palindrome Level` prints `yes` and `strkit palindrome strkit` prints `no`; `sh tests/run.sh` passes.",
            Priority = 2,
            After = ["reverse"],
            Reads = ["cmd/reverse.sh"],
            Changes =
            [
                DemoChange.Create("cmd/palindrome.sh", Text("""
                    # palindrome: print yes when the words read the same backwards (ignoring case), no otherwise
                    word=$(printf '%s' "$*" | tr '[:upper:]' '[:lower:]')
                    if [ "$(sh "$(dirname "$0")/reverse.sh" "$word")" = "$word" ]; then
                      echo yes
                    else
                      echo no
                    fi
                    """)),
                DemoChange.Create("tests/palindrome.t.sh", Text("""
                    . tests/assert.sh
                    expect "$(sh strkit palindrome Level)" "yes"
                    expect "$(sh strkit palindrome strkit)" "no"
                    """)),
            ],
            CommitMessage = "Add strkit palindrome on top of reverse",
            Summary = "Added `strkit palindrome`, which reuses cmd/reverse.sh, with tests.",
        },
        new DemoTaskPlan
        {
            Key = "help",
            Title = "List every command in strkit help",
            Description = "`strkit help` names only upper, which is hard-coded. List every command from the first comment line of its cmd/*.sh file, so new commands show up by themselves.",
            DefinitionOfDone = "`strkit help` lists count, palindrome, reverse and upper; tests/help.t.sh checks it and `sh tests/run.sh` passes.",
            Priority = 2,
            After = ["reverse", "count", "palindrome"],
            Reads = ["strkit"],
            Changes =
            [
                DemoChange.Edit(
                    "strkit",
                    "  echo \"  upper: print the words in capitals\"\n",
                    Text("""
                          for file in "$here"/cmd/*.sh; do
                            sed -n '1s/^# /  /p' "$file"
                          done
                        """)),
                DemoChange.Create("tests/help.t.sh", Text("""
                    help=$(sh strkit help)
                    for command in count palindrome reverse upper; do
                      case "$help" in
                        *"  $command: "*) ;;
                        *) echo "  'strkit help' does not list $command" >&2; exit 1 ;;
                      esac
                    done
                    """)),
            ],
            CommitMessage = "List commands in strkit help from their files, so new ones appear by themselves",
            Summary = "`strkit help` now lists every command from its file's first comment line; tests/help.t.sh checks it.",
        },
        new DemoTaskPlan
        {
            Key = "readme",
            Title = "Document every command in the README",
            Description = "README.md lists only upper. Document every command, and add a test that fails when a command has no README entry.",
            DefinitionOfDone = "README.md has an entry for every cmd/*.sh; tests/readme.t.sh checks it and `sh tests/run.sh` passes.",
            Priority = 3,
            After = ["help", "lower"],
            Reads = ["README.md"],
            Changes =
            [
                DemoChange.Edit(
                    "README.md",
                    "* `upper` — print the words in capitals\n",
                    Text("""
                        * `count` — print how many characters the words have
                        * `lower` — print the words in small letters
                        * `palindrome` — say whether the words read the same backwards
                        * `reverse` — print the words backwards
                        * `upper` — print the words in capitals
                        * `help` — list the commands
                        """)),
                DemoChange.Create("tests/readme.t.sh", Text("""
                    for file in cmd/*.sh; do
                      name=$(basename "$file" .sh)
                      if ! grep -q "^\* \`$name\`" README.md; then
                        echo "  README.md does not document $name" >&2
                        exit 1
                      fi
                    done
                    """)),
            ],
            CommitMessage = "Document every strkit command in the README and test that none is missing",
            Summary = "README.md documents every command; tests/readme.t.sh keeps it that way.",
        },
    ];

    // Raw string literals drop the last line break; every file ends with one.
    private static string Text(string text) => text + "\n";
}
