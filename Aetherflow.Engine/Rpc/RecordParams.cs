using System.Diagnostics.CodeAnalysis;
using StreamJsonRpc;

namespace Aetherflow.Engine.Rpc;

/// <summary>
/// Sends a request's or a notification's params as one record (the request records such as <see cref="AgentRequest"/>, and
/// <see cref="StatusChangedParams"/> and its kin). The formatter writes the record whole through EngineJson's options,
/// so its members get their snake_case names; <see cref="NamedArgs"/>, the overload StreamJsonRpc offers for trimming,
/// would name them by their C# names instead and change the wire format.
/// </summary>
internal static class RecordParams
{
    // StreamJsonRpc warns because another formatter could reflect over the object. SystemTextJsonFormatter serializes it
    // with EngineJson's options, which resolve it through the source-generated EngineJsonContext with no reflection
    // fallback: a record missing there throws in every build, and the tests send every one of them.
    private const string Justification = "The engine's formatter serializes the params record with EngineJson's options, which resolve it through the source-generated EngineJsonContext (no reflection fallback)";

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = Justification)]
    public static Task<TResult> InvokeWithRecordAsync<TResult>(this JsonRpc rpc, string method, object parameters, CancellationToken cancellationToken) =>
        rpc.InvokeWithParameterObjectAsync<TResult>(method, parameters, cancellationToken);

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = Justification)]
    public static Task NotifyWithRecordAsync(this JsonRpc rpc, string method, object parameters) =>
        rpc.NotifyWithParameterObjectAsync(method, parameters);
}
