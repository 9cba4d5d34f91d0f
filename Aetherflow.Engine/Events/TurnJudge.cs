using Aetherflow.Engine.Text;

namespace Aetherflow.Engine.Events;

/// <summary>The latest assistant message of a session, as far as judging its turn needs it.</summary>
internal sealed record LastAssistantMessage(string Id, long Created, string? Finish, string? Error, string? ErrorName);

/// <summary>Decides how a turn ended once its session went idle (opencode-offline.md §6.2, terminal-state detection).</summary>
internal static class TurnJudge
{
    /// <summary>
    /// Aborted for <c>MessageAbortedError</c>; failed for a message or session error; succeeded for
    /// <c>finish: "stop"</c>; incomplete when the final message was not seen; failed for any other finish.
    /// </summary>
    public static SessionOutcome Judge(LastAssistantMessage? last, string? sessionError, string? sessionErrorName, DateTimeOffset now)
    {
        string? errorName = last?.ErrorName ?? sessionErrorName;
        string? error = last?.Error ?? sessionError;
        if (errorName == "MessageAbortedError")
        {
            return new SessionOutcome(SessionOutcomeKind.Aborted, error ?? "aborted", now);
        }

        if (error is not null)
        {
            return new SessionOutcome(SessionOutcomeKind.Failed, error, now);
        }

        return last?.Finish switch
        {
            "stop" => new SessionOutcome(SessionOutcomeKind.Succeeded, "finished", now),
            null or "tool-calls" or "unknown" => new SessionOutcome(
                SessionOutcomeKind.Incomplete,
                $"idle before the final assistant message was seen (last finish: {last?.Finish ?? "none"}); fetch the session's messages",
                now),
            "length" => new SessionOutcome(SessionOutcomeKind.Failed, "the model stopped at its output length limit", now),
            { } other => new SessionOutcome(SessionOutcomeKind.Failed, $"the model stopped with finish '{TerminalText.SanitizeLine(other)}'", now),
        };
    }
}
