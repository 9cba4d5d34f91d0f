using Aetherflow.Engine.Hosting;

namespace Aetherflow.Tui.Commands;

/// <summary>What a command runs in: environment, working directory and clock — passed in so tests can run commands in-process.</summary>
internal sealed record CliHost
{
    public required HostEnvironment Environment { get; init; }

    public required string WorkingDirectory { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where a command reads a person's answers (confirmations).</summary>
    public TextReader Input { get; init; } = TextReader.Null;

    /// <summary>True when <see cref="Input"/> is a terminal a person types into, so a command may ask a question.</summary>
    public bool InputIsTerminal { get; init; }

    /// <summary>The process's termination signals (null when commands run in-process, e.g. in tests).</summary>
    public TerminationSignals? Signals { get; init; }

    /// <summary>True when colour output is allowed (no <c>NO_COLOR</c>, not redirected).</summary>
    public bool ColorAllowed(bool noColorFlag, bool outputRedirected) =>
        !noColorFlag && !Environment.Variables.ContainsKey("NO_COLOR") && !outputRedirected;

    public static CliHost FromProcess() => new()
    {
        Environment = HostEnvironment.FromProcess(),
        WorkingDirectory = Directory.GetCurrentDirectory(),
        Input = Console.In,
        InputIsTerminal = !Console.IsInputRedirected,
    };
}
