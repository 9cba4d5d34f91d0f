namespace Aetherflow.Engine.Opencode;

/// <summary>What opencode does when a tool needs a permission: go ahead, ask a person, or refuse.</summary>
public enum OpencodePermissionAction
{
    /// <summary>Go ahead without asking.</summary>
    Allow,

    /// <summary>Ask: the session waits (status busy) until someone answers <c>POST /permission/:id/reply</c>.</summary>
    Ask,

    /// <summary>Refuse.</summary>
    Deny,
}
