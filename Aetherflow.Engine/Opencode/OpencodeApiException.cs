using System.Net;

namespace Aetherflow.Engine.Opencode;

/// <summary>
/// An opencode HTTP call failed. The message is one line naming the call, the status and opencode's own error message,
/// e.g. <c>opencode GET /session/ses_x failed: 404 Not Found: Session not found: ses_x</c>.
/// </summary>
public sealed class OpencodeApiException : Exception
{
    public OpencodeApiException()
    {
    }

    public OpencodeApiException(string message)
        : base(message)
    {
    }

    public OpencodeApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status, or null when no answer came (connection refused, timeout).</summary>
    public HttpStatusCode? StatusCode { get; init; }

    /// <summary>opencode's error name (<c>NotFoundError</c>, <c>BadRequest</c>, …), when it sent one.</summary>
    public string? ErrorName { get; init; }

    /// <summary>opencode's error message, when it sent one.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>True when the call got no answer within its timeout.</summary>
    public bool IsTimeout { get; init; }

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    public bool IsUnauthorized => StatusCode == HttpStatusCode.Unauthorized;
}
