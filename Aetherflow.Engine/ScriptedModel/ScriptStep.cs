namespace Aetherflow.Engine.ScriptedModel;

/// <summary>
/// One answer of a scripted model scenario. Step <c>n</c> answers the model request that follows <c>n</c> assistant
/// messages in the conversation, so the script advances as the client (opencode) runs the tools it asked for.
/// </summary>
public sealed class ScriptStep
{
    /// <summary>The status an error step uses when none is given.</summary>
    public const int DefaultErrorStatus = 500;

    /// <summary>The message of an error step when none is given.</summary>
    public const string DefaultErrorMessage = "scripted failure";

    private ScriptStep(ScriptStepKind kind)
    {
        Kind = kind;
    }

    /// <summary>What the step answers with.</summary>
    public ScriptStepKind Kind { get; }

    /// <summary>The text of a text step, or the text a hang step answers with once it stops waiting.</summary>
    public string Text { get; private init; } = string.Empty;

    /// <summary>The tool calls of a tool step (more than one are parallel calls).</summary>
    public IReadOnlyList<ScriptedToolCall> ToolCalls { get; private init; } = [];

    /// <summary>The HTTP status of an error step.</summary>
    public int ErrorStatus { get; private init; } = DefaultErrorStatus;

    /// <summary>The message in an error step's body.</summary>
    public string ErrorMessage { get; private init; } = DefaultErrorMessage;

    /// <summary>How long a hang step holds its answer back.</summary>
    public TimeSpan Delay { get; private init; }

    /// <summary>For text steps: the pause between streamed chunks (the text is sent in several chunks when set).</summary>
    public TimeSpan ChunkDelay { get; private init; }

    /// <summary>A text answer.</summary>
    public static ScriptStep Reply(string text, TimeSpan chunkDelay = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new ScriptStep(ScriptStepKind.Text) { Text = text, ChunkDelay = chunkDelay };
    }

    /// <summary>One tool call.</summary>
    public static ScriptStep Tool(ScriptedToolCall call) => Tools([call]);

    /// <summary>Several tool calls in one assistant message (parallel calls).</summary>
    public static ScriptStep Tools(IReadOnlyList<ScriptedToolCall> calls)
    {
        ArgumentNullException.ThrowIfNull(calls);
        if (calls.Count == 0)
        {
            throw new ArgumentException("a tool step needs at least one call", nameof(calls));
        }

        return new ScriptStep(ScriptStepKind.ToolCalls) { ToolCalls = calls };
    }

    /// <summary>An HTTP error answer (4xx fail at once in opencode, 5xx are retried).</summary>
    public static ScriptStep Error(int status = DefaultErrorStatus, string message = DefaultErrorMessage)
    {
        if (status is < 400 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "an error step needs an HTTP status from 400 to 599");
        }

        return new ScriptStep(ScriptStepKind.Error) { ErrorStatus = status, ErrorMessage = message };
    }

    /// <summary>Waits <paramref name="delay"/> (on the server's clock) before answering with <paramref name="text"/>.</summary>
    public static ScriptStep Hang(TimeSpan delay, string text = "Finished waiting.")
    {
        if (delay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "a hang step needs a delay of zero or more");
        }

        return new ScriptStep(ScriptStepKind.Hang) { Delay = delay, Text = text };
    }

    /// <summary>A malformed answer.</summary>
    public static ScriptStep Garbage() => new(ScriptStepKind.Garbage);
}
