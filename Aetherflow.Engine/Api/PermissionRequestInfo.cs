namespace Aetherflow.Engine.Api;

/// <summary>A permission an agent is waiting for.</summary>
/// <param name="Id">The request id, for answering it.</param>
/// <param name="Permission">What is asked, e.g. <c>external_directory</c>.</param>
/// <param name="Patterns">What it applies to, e.g. a path.</param>
public sealed record PermissionRequestInfo(string Id, string Permission, IReadOnlyList<string> Patterns);
