namespace Aetherflow.Engine.Api;

/// <summary>An answer to a permission request.</summary>
public enum PermissionReply
{
    /// <summary>Allow this one request.</summary>
    Once,

    /// <summary>Allow this and matching requests for the rest of the session.</summary>
    Always,

    /// <summary>Refuse; the tool call fails.</summary>
    Reject,
}
