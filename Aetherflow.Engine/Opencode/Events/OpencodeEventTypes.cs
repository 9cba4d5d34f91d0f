using System.Text.Json;

namespace Aetherflow.Engine.Opencode.Events;

/// <summary>The opencode event type names the engine interprets (opencode 1.18).</summary>
public static class OpencodeEventTypes
{
    public const string SessionCreated = "session.created";
    public const string SessionUpdated = "session.updated";
    public const string SessionDeleted = "session.deleted";
    public const string SessionStatus = "session.status";
    public const string SessionIdle = "session.idle";
    public const string SessionError = "session.error";
    public const string SessionDiff = "session.diff";
    public const string SessionCompacted = "session.compacted";
    public const string MessageUpdated = "message.updated";
    public const string MessageRemoved = "message.removed";
    public const string MessagePartUpdated = "message.part.updated";
    public const string MessagePartRemoved = "message.part.removed";
    public const string MessagePartDelta = "message.part.delta";
    public const string PermissionAsked = "permission.asked";
    public const string PermissionReplied = "permission.replied";
    public const string QuestionAsked = "question.asked";
    public const string QuestionReplied = "question.replied";
    public const string QuestionRejected = "question.rejected";
    public const string TodoUpdated = "todo.updated";
    public const string ServerConnected = "server.connected";
    public const string ServerHeartbeat = "server.heartbeat";
    public const string Sync = "sync";
    public const string PluginLoaded = "af.plugin.loaded";

    private const string NextPrefix = "session.next.";

    // Reusing these instances spares one string per event for the types that make up nearly all traffic.
    private static readonly string[] Common =
    [
        MessagePartUpdated, MessagePartDelta, MessageUpdated, SessionStatus, SessionUpdated, SessionDiff, SessionIdle,
        SessionCreated, SessionError, ServerHeartbeat, ServerConnected, PermissionAsked, PermissionReplied, TodoUpdated,
        Sync, "file.edited", "file.watcher.updated", "plugin.added", "lsp.updated", "catalog.updated",
    ];

    /// <summary>
    /// True for session events kept out of the stored history: token deltas (they filled the original's buffer and
    /// evicted real history; the tracker still reflects text progress from them), diffs (whole file contents, and
    /// available from the API) and the experimental v2 stream (it repeats the classic events).
    /// </summary>
    public static bool IsTransient(string type) =>
        type is MessagePartDelta or SessionDiff || type.StartsWith(NextPrefix, StringComparison.Ordinal);

    internal static string Read(JsonElement type)
    {
        foreach (string known in Common)
        {
            if (type.ValueEquals(known))
            {
                return known;
            }
        }

        return type.GetString()!;
    }
}
