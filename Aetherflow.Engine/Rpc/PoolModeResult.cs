using Aetherflow.Engine.Api;

namespace Aetherflow.Engine.Rpc;

/// <summary>The reply to <c>pool.drain</c>, <c>pool.pause</c> and <c>pool.resume</c>.</summary>
public sealed record PoolModeResult(PoolMode Mode, int Running);
