namespace Aetherflow.Engine.Runtimes;

/// <summary>How an agent run ended.</summary>
/// <param name="Succeeded">True for a clean finish (exit 0, or the session ended with <c>finish: stop</c>).</param>
/// <param name="ExitCode">The process exit code, where there is a process; 128+n for a signal.</param>
/// <param name="Reason">One line for logs and the task log, e.g. <c>exited with code 2</c>.</param>
/// <param name="SessionId">The session the agent ran in, for a respawn to resume.</param>
public sealed record AgentOutcome(bool Succeeded, int? ExitCode, string Reason, string? SessionId = null);
