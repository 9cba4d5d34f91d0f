namespace Aetherflow.Engine.ScriptedModel;

/// <summary>One parsed HTTP/1.1 request as the scripted model server sees it.</summary>
internal sealed class HttpRequestData
{
    public required string Method { get; init; }

    /// <summary>The path without the query string.</summary>
    public required string Path { get; init; }

    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    public required byte[] Body { get; init; }

    /// <summary>False when the client asked to close the connection after this request (or spoke HTTP/1.0).</summary>
    public required bool KeepAlive { get; init; }

    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;
}
