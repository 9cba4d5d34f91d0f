using System.Text.Json;
using Aetherflow.Engine.Opencode.Events;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Rpc;

/// <summary>
/// The <c>session.event</c> notifications of one connection, whichever way they arrive: well-formed ones straight
/// from the socket's read loop (before and after the connection needs a JSON-RPC dispatcher), malformed ones through
/// the dispatcher, which logs them. One plugin feed serves both, opened with the first event, so the plugin's hello
/// and sequence numbers keep their meaning for the whole connection.
/// </summary>
internal sealed class PluginEventSink : ISessionEventSink, IDisposable
{
    private readonly PluginEventReceiver? receiver;
    private readonly RpcPeer peer;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private PluginEventFeed? feed;
    private bool unwanted;
    private bool disposed;

    /// <param name="receiver">Takes the events; null when the engine has no opencode runtime (they are ignored, said once).</param>
    /// <param name="peer">The connection, for logs.</param>
    /// <param name="logger">Says once per connection that events are ignored.</param>
    public PluginEventSink(PluginEventReceiver? receiver, RpcPeer peer, ILogger logger)
    {
        this.receiver = receiver;
        this.peer = peer;
        this.logger = logger;
    }

    /// <summary>Handles one notification's params as the dispatcher parsed them, at once (journaled and published).</summary>
    public void Accept(JsonElement parameters)
    {
        lock (gate)
        {
            Feed()?.Accept(parameters);
        }
    }

    /// <inheritdoc/>
    public void Accept(JsonDocument notification, JsonElement parameters)
    {
        lock (gate)
        {
            if (Feed() is { } open)
            {
                open.Enqueue(notification, parameters);
            }
            else
            {
                notification.Dispose();
            }
        }
    }

    /// <inheritdoc/>
    public void Flush()
    {
        lock (gate)
        {
            feed?.Flush();
        }
    }

    /// <summary>Publishes what is queued and closes the feed.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            feed?.Dispose();
            feed = null;
        }
    }

    private PluginEventFeed? Feed()
    {
        if (disposed)
        {
            // The connection is closing: a dispatch still running finds no feed to write to.
            return null;
        }

        if (receiver is null)
        {
            if (!unwanted)
            {
                unwanted = true;
                logger.LogInformation("Ignoring session.event notifications from {Peer}: this engine has no opencode runtime", peer);
            }

            return null;
        }

        return feed ??= receiver.OpenFeed(peer.ToString());
    }
}
