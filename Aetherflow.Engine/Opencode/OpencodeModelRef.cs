namespace Aetherflow.Engine.Opencode;

/// <summary>A model as opencode names it: provider and model id (e.g. <c>anthropic</c> / <c>claude-sonnet-4</c>).</summary>
public sealed record OpencodeModelRef(string ProviderId, string ModelId);
