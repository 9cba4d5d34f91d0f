namespace Aetherflow.Engine.Opencode;

/// <summary>Where an opencode server listens and how to authenticate to it (HTTP Basic; no password means none).</summary>
/// <param name="BaseAddress">The server root, e.g. <c>http://127.0.0.1:4096/</c>.</param>
/// <param name="Username">The Basic-auth user (opencode's default is <c>opencode</c>).</param>
/// <param name="Password">The server password (<c>OPENCODE_SERVER_PASSWORD</c>), or null for an unsecured server.</param>
public sealed record OpencodeConnection(Uri BaseAddress, string Username = OpencodeConnection.DefaultUsername, string? Password = null)
{
    /// <summary>The user opencode expects unless <c>OPENCODE_SERVER_USERNAME</c> says otherwise.</summary>
    public const string DefaultUsername = "opencode";

    /// <summary>Hides the password, so a connection can be logged.</summary>
    public override string ToString() => $"{BaseAddress} (user {Username}, {(Password is null ? "no password" : "password set")})";
}
