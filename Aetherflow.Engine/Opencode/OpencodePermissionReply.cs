namespace Aetherflow.Engine.Opencode;

/// <summary>An answer to a pending permission request.</summary>
public enum OpencodePermissionReply
{
    /// <summary>Allow this one request.</summary>
    Once,

    /// <summary>Allow this and matching later requests of the session.</summary>
    Always,

    /// <summary>Refuse; the tool call fails.</summary>
    Reject,
}
