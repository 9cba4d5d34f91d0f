using System.Text;
using Aetherflow.Engine.Hosting;
using Aetherflow.Engine.Platform;
using Aetherflow.Engine.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aetherflow.Engine.Tests.Platform;

public sealed class ProcessGroupLauncherTests
{
    private TempDirectory temp = null!;

    [SetUp]
    public void SetUp() => temp = new TempDirectory("launcher");

    [TearDown]
    public void TearDown() => temp.Dispose();

    [Test]
    public async Task Arguments_arrive_byte_for_byte_and_in_order()
    {
        string[] arguments = ["plain", "two words", "line1\nline2", "'single' \"double\"", "$(touch pwned) `id` $HOME", "{{x}}", "ünï 🚀", "", "back\\slash"];

        await using ChildProcess child = Start("for a in \"$@\"; do printf '%s\\0' \"$a\"; done > argv.bin", arguments);
        await Eventually.WithinAsync(child.Exited, "the child to exit");

        byte[] expected = Encoding.UTF8.GetBytes(string.Concat(arguments.Select(a => a + "\0")));
        Assert.That(File.ReadAllBytes(temp.Combine("argv.bin")), Is.EqualTo(expected));
        Assert.That(File.Exists(temp.Combine("pwned")), Is.False, "nothing in an argument may be expanded");
    }

    [Test]
    public async Task The_child_sees_the_base_environment_plus_the_additions_and_nothing_else()
    {
        var baseEnvironment = new HostEnvironment(new Dictionary<string, string>
        {
            ["PATH"] = Environment.GetEnvironmentVariable("PATH")!,
            ["KEPT"] = "from the base",
            ["REPLACED"] = "old",
        });
        var launcher = new ProcessGroupLauncher(baseEnvironment, TimeProvider.System, NullLogger.Instance);

        // env itself rather than a shell, which would add PWD; its output goes to the log file.
        await using ChildProcess child = launcher.Start(new ProcessLaunch
        {
            Executable = "env",
            Arguments = ["-0"],
            WorkingDirectory = temp.Path,
            LogFile = temp.Combine("env.log"),
            Environment = new Dictionary<string, string> { ["REPLACED"] = "new", ["ADDED"] = "a = b\nc" },
        });
        await Eventually.WithinAsync(child.Exited, "the child to exit");

        string[] env = File.ReadAllText(temp.Combine("env.log")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(env, Does.Contain("KEPT=from the base"));
        Assert.That(env, Does.Contain("REPLACED=new"));
        Assert.That(env, Does.Contain("ADDED=a = b\nc"));
        Assert.That(env.Select(e => e.Split('=')[0]), Is.EquivalentTo(new[] { "PATH", "KEPT", "REPLACED", "ADDED" }), "nothing of the engine's own environment may leak");
    }

    [Test]
    public async Task The_child_starts_in_the_working_directory_with_stdin_from_dev_null()
    {
        string work = Directory.CreateDirectory(temp.Combine("work dir")).FullName;

        await using ChildProcess child = Start("pwd -P > \"$1\"; readlink /proc/$$/fd/0 > \"$2\"; cat > \"$3\"", [temp.Combine("cwd"), temp.Combine("stdin"), temp.Combine("read")], work);
        ChildExit exit = await Eventually.WithinAsync(child.Exited, "the child to exit");

        Assert.That(exit.Succeeded, Is.True, exit.Description);
        Assert.That(File.ReadAllText(temp.Combine("cwd")).TrimEnd(), Is.EqualTo(new DirectoryInfo(work).ResolveLinkTarget(true)?.FullName ?? work));
        Assert.That(File.ReadAllText(temp.Combine("stdin")).TrimEnd(), Is.EqualTo("/dev/null"));
        Assert.That(File.ReadAllText(temp.Combine("read")), Is.Empty);
    }

    [Test]
    public async Task Output_and_errors_are_appended_to_an_owner_only_log_file()
    {
        string log = temp.Combine("agent.log");

        await using (ChildProcess first = Start("echo out one; echo err one >&2", log: log))
        {
            await Eventually.WithinAsync(first.Exited, "the first child to exit");
        }

        await using (ChildProcess second = Start("echo out two", log: log))
        {
            await Eventually.WithinAsync(second.Exited, "the second child to exit");
        }

        Assert.That(File.ReadAllText(log), Is.EqualTo("out one\nerr one\nout two\n"));
        Assert.That(File.GetUnixFileMode(log), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public async Task An_existing_log_file_is_made_owner_only()
    {
        string log = temp.Write("agent.log", "earlier\n");
        File.SetUnixFileMode(log, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        await using ChildProcess child = Start("echo later", log: log);
        await Eventually.WithinAsync(child.Exited, "the child to exit");

        Assert.That(File.ReadAllText(log), Is.EqualTo("earlier\nlater\n"));
        Assert.That(File.GetUnixFileMode(log), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public async Task The_child_leads_its_own_session_and_process_group()
    {
        await using ChildProcess child = Start("exec sleep 300");

        ProcStat stat = ProcStat.Read(child.Pid)!;
        ProcStat self = ProcStat.Read(Environment.ProcessId)!;
        Assert.That(stat.ProcessGroupId, Is.EqualTo(child.Pid));
        Assert.That(stat.SessionId, Is.EqualTo(child.Pid));
        Assert.That(child.ProcessGroupId, Is.EqualTo(child.Pid));
        Assert.That(stat.ProcessGroupId, Is.Not.EqualTo(self.ProcessGroupId));
        Assert.That(stat.SessionId, Is.Not.EqualTo(self.SessionId));
        Assert.That(stat.ParentPid, Is.EqualTo(Environment.ProcessId), "the pid is the program's, not a wrapper's");
    }

    [Test]
    public async Task Signals_the_engine_ignores_are_back_to_default_in_the_child()
    {
        // The .NET runtime ignores SIGPIPE; an agent that inherited that would not die writing to a closed pipe.
        await using ChildProcess child = Start("exec sleep 300");

        await Eventually.TrueAsync(() => File.ReadAllText($"/proc/{child.Pid}/comm").Trim() == "sleep", "the child to exec sleep");

        // Only the standard signals: glibc's posix_spawn leaves its two internal ones (32, 33) ignored, and every glibc
        // program installs its own handlers for them at start.
        Assert.That(ProcStat.IgnoredSignals(child.Pid) & 0x7fff_ffffUL, Is.Zero);
    }

    [Test]
    public void A_program_that_is_not_on_PATH_is_refused()
    {
        var ex = Assert.Throws<ProcessLaunchException>(() => Launcher().Start(Launch(executable: "no-such-program-af")));
        Assert.That(ex.Message, Is.EqualTo("cannot start 'no-such-program-af': no such program on PATH; install it or give its full path"));
    }

    [Test]
    public void A_relative_program_path_is_resolved_in_the_working_directory()
    {
        var ex = Assert.Throws<ProcessLaunchException>(() => Launcher().Start(Launch(executable: "./bin/agent")));
        Assert.That(ex.Message, Does.Contain($"{temp.Combine("bin", "agent")} does not exist"));
    }

    [Test]
    public void A_file_without_execute_permission_is_refused()
    {
        string script = temp.Write("agent.sh", "#!/bin/sh\n");
        var ex = Assert.Throws<ProcessLaunchException>(() => Launcher().Start(Launch(executable: script)));
        Assert.That(ex.Message, Does.Contain("is not executable; make it executable (chmod +x)"));
    }

    [Test]
    public void A_folder_is_not_a_program()
    {
        var ex = Assert.Throws<ProcessLaunchException>(() => Launcher().Start(Launch(executable: temp.Path)));
        Assert.That(ex.Message, Does.Contain("is a folder, not a program"));
    }

    [Test]
    public void A_missing_working_directory_is_refused()
    {
        string missing = temp.Combine("gone");
        var ex = Assert.Throws<ProcessLaunchException>(() => Launcher().Start(Launch(workingDirectory: missing)));
        Assert.That(ex.Message, Is.EqualTo($"cannot start 'sh' in {missing}: the folder does not exist"));
    }

    [Test]
    public void An_empty_program_is_refused() =>
        Assert.That(() => Launcher().Start(Launch(executable: " ")), Throws.TypeOf<ProcessLaunchException>().With.Message.Contains("the command is empty"));

    [Test]
    public void An_argument_with_a_NUL_character_is_refused() =>
        Assert.That(() => Start("true", ["a\0b"]), Throws.TypeOf<ProcessLaunchException>().With.Message.Contains("NUL"));

    [Test]
    public void A_log_file_that_is_a_symlink_is_refused()
    {
        string log = temp.Combine("agent.log");
        File.CreateSymbolicLink(log, temp.Write("elsewhere", string.Empty));

        var ex = Assert.Throws<ProcessLaunchException>(() => Start("true", log: log));
        Assert.That(ex.Message, Does.Contain("is a symbolic link"));
    }

    [Test]
    public void A_log_file_in_a_missing_folder_is_refused()
    {
        var ex = Assert.Throws<ProcessLaunchException>(() => Start("true", log: temp.Combine("no", "agent.log")));
        Assert.That(ex.Message, Does.StartWith($"cannot open log file {temp.Combine("no", "agent.log")}"));
    }

    private ChildProcess Start(string script, IReadOnlyList<string>? arguments = null, string? workingDirectory = null, string? log = null) =>
        Launcher().Start(Launch(script, arguments, workingDirectory, log));

    private static ProcessGroupLauncher Launcher() => new(HostEnvironment.FromProcess(), TimeProvider.System, NullLogger.Instance);

    private ProcessLaunch Launch(
        string script = "true",
        IReadOnlyList<string>? arguments = null,
        string? workingDirectory = null,
        string? log = null,
        string executable = "sh",
        IReadOnlyDictionary<string, string>? environment = null) => new()
        {
            Executable = executable,
            Arguments = ["-c", script, "sh", .. arguments ?? []],
            WorkingDirectory = workingDirectory ?? temp.Path,
            LogFile = log ?? temp.Combine("child.log"),
            Environment = environment ?? new Dictionary<string, string>(),
        };
}
