namespace Aetherflow.Engine.Opencode;

/// <summary>One rule of a session's permission set, e.g. <c>question * deny</c>.</summary>
/// <param name="Permission">The permission name (<c>bash</c>, <c>edit</c>, <c>read</c>, <c>external_directory</c>, <c>question</c>, …).</param>
/// <param name="Pattern">What it applies to (<c>*</c> for everything).</param>
/// <param name="Action">Allow, ask or deny.</param>
public sealed record OpencodePermissionRule(string Permission, string Pattern, OpencodePermissionAction Action);
