using System.Text.Json;

namespace Aetherflow.Engine.Opencode;

/// <summary>
/// A session's state from <c>GET /session/status</c>: <c>busy</c>, or <c>retry</c> with the attempt and when the next
/// try is due. Idle sessions are absent from that answer (<see cref="Idle"/> stands for them).
/// </summary>
public sealed record OpencodeSessionStatus(string Type, int? Attempt = null, string? Message = null, DateTimeOffset? Next = null)
{
    /// <summary>The status of a session missing from the answer.</summary>
    public static readonly OpencodeSessionStatus Idle = new("idle");

    public bool IsBusy => Type == "busy";

    public bool IsRetry => Type == "retry";

    public bool IsIdle => Type == "idle";

    public static OpencodeSessionStatus FromJson(JsonElement json) => new(
        OpencodeJson.String(json, "type") ?? "unknown",
        OpencodeJson.Number(json, "attempt") is long attempt ? (int)attempt : null,
        OpencodeJson.String(json, "message"),
        OpencodeJson.UnixMilliseconds(OpencodeJson.Number(json, "next")));
}
