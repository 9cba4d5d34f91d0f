using System.Net;

namespace Aetherflow.Engine.Config;

/// <summary>The rule for server URLs: agents' server must be on this machine, never a remote host.</summary>
public static class LoopbackUrl
{
    /// <summary>The rule in words, for error messages.</summary>
    public const string Rule = "use an http URL on 127.0.0.1, localhost or [::1] with a port, like http://127.0.0.1:4096";

    /// <summary>True for <c>http://</c> URLs on a loopback host with an explicit port and no whitespace.</summary>
    public static bool IsValid(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Any(char.IsWhiteSpace) || !Uri.TryCreate(url, UriKind.Absolute, out Uri? uri))
        {
            return false;
        }

        bool hasExplicitPort = uri.Authority.Contains(':', StringComparison.Ordinal) && !uri.Authority.EndsWith(']');
        bool loopbackHost = uri.Host == "localhost" || (IPAddress.TryParse(uri.Host, out IPAddress? ip) && IPAddress.IsLoopback(ip));
        return uri.Scheme == Uri.UriSchemeHttp && hasExplicitPort && loopbackHost && string.IsNullOrEmpty(uri.UserInfo);
    }
}
