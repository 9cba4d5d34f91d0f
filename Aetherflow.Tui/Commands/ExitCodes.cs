namespace Aetherflow.Tui.Commands;

/// <summary>Process exit codes, documented in docs/cli.md.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command failed (engine already running, unknown agent, refused request, I/O error, …).</summary>
    public const int Failure = 1;

    /// <summary>The configuration or the command line is invalid.</summary>
    public const int ConfigError = 2;

    /// <summary>No engine runs for the project (client commands).</summary>
    public const int NoEngine = 3;

    /// <summary>
    /// Running agents were stopped before they finished: a headless engine stopped with agents running (their tasks were
    /// put back), or a foreground <c>spawn</c> was interrupted.
    /// </summary>
    public const int AgentsInterrupted = 4;

    /// <summary>A foreground <c>spawn</c>'s agent ended with a failure.</summary>
    public const int AgentFailed = 5;
}
