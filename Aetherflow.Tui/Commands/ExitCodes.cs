namespace Aetherflow.Tui.Commands;

/// <summary>Process exit codes, documented in docs/cli.md.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command failed (engine already running, I/O error, …).</summary>
    public const int Failure = 1;

    /// <summary>The configuration or the command line is invalid.</summary>
    public const int ConfigError = 2;

    /// <summary>No engine runs for the project (client commands).</summary>
    public const int NoEngine = 3;

    /// <summary>The engine stopped and interrupted running agents (their tasks were put back or can be resumed).</summary>
    public const int AgentsInterrupted = 4;
}
