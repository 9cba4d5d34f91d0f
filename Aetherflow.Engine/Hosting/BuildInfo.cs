using System.Reflection;

namespace Aetherflow.Engine.Hosting;

/// <summary>The version of this aetherflow build.</summary>
public static class BuildInfo
{
    /// <summary>The informational version, e.g. <c>0.1.0+3f2a9c1</c>.</summary>
    public static string Version { get; } =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>The JSON-RPC protocol version this build speaks.</summary>
    public const int ProtocolVersion = 1;

    /// <summary>The oldest client protocol version this build accepts.</summary>
    public const int MinProtocolVersion = 1;
}
