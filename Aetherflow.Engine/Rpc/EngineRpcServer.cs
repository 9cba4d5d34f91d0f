using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Aetherflow.Engine.Opencode.Events;
using Aetherflow.Engine.Platform;
using Microsoft.Extensions.Logging;
using StreamJsonRpc;

namespace Aetherflow.Engine.Rpc;

/// <summary>
/// Serves JSON-RPC 2.0 on the project's Unix socket: newline-delimited, snake_case, one target object per connection.
/// The socket lives in an owner-only folder, is itself 0600, and refuses peers running as another user.
/// </summary>
public sealed class EngineRpcServer : IAsyncDisposable
{
    /// <summary>The default largest accepted frame (one JSON-RPC message).</summary>
    public const int DefaultMaxFrameBytes = 1024 * 1024;

    private static readonly TimeSpan RefusalDrain = TimeSpan.FromSeconds(1);

    // After a failed accept (out of file descriptors, say): a pause instead of a busy loop of failures.
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);

    // What a connection may have sent by the time it is accepted and is taken at once (see ArrivedEventLines).
    private const int ArrivedBytes = 64 * 1024;

    private readonly EngineEndpoint endpoint;
    private readonly Func<RpcPeer, JsonRpc, PluginEventSink, EngineRpcTarget> createTarget;
    private readonly PluginEventReceiver? pluginEvents;
    private readonly ILogger logger;
    private readonly int maxFrameBytes;
    private readonly TimeProvider time;
    private readonly ConcurrentDictionary<long, JsonRpc> connections = new();
    private readonly ArrivedEventLines arrived;
    private readonly uint ownUid = UnixNative.GetEffectiveUserId();
    private readonly CancellationTokenSource stopping = new();
    private readonly TaskCompletionSource acceptEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Socket? listener;
    private Thread? acceptThread;
    private long nextConnectionId;

    /// <param name="endpoint">Where to listen; the caller must hold the endpoint's <see cref="EngineInstanceLock"/>.</param>
    /// <param name="createTarget">Creates the RPC target for a connection that sends more than <c>session.event</c> notifications.</param>
    /// <param name="pluginEvents">Takes the events the aetherflow-events plugin pushes; null when the engine has no opencode runtime.</param>
    /// <param name="logger">Receives connection and error logs.</param>
    /// <param name="maxFrameBytes">The largest message a client may send.</param>
    /// <param name="time">The clock for connection timeouts (default: the system clock).</param>
    internal EngineRpcServer(EngineEndpoint endpoint, Func<RpcPeer, JsonRpc, PluginEventSink, EngineRpcTarget> createTarget, PluginEventReceiver? pluginEvents, ILogger logger, int maxFrameBytes = DefaultMaxFrameBytes, TimeProvider? time = null)
    {
        this.endpoint = endpoint;
        this.createTarget = createTarget;
        this.pluginEvents = pluginEvents;
        this.logger = logger;
        this.maxFrameBytes = maxFrameBytes;
        this.time = time ?? TimeProvider.System;
        arrived = new ArrivedEventLines(Math.Min(ArrivedBytes, maxFrameBytes));
    }

    /// <summary>
    /// Binds the socket (replacing a stale one left by a crashed engine) and starts accepting. The socket is bound and
    /// listening under a private temporary name first and then renamed into place, so a client that sees the socket
    /// file can always connect (binding in place left a moment where the file existed but refused connections).
    /// </summary>
    public void Start()
    {
        PrivateDirectory.Ensure(endpoint.Directory);
        RemoveStaleSocket();
        string staging = Path.Combine(endpoint.Directory, string.Create(CultureInfo.InvariantCulture, $".af{Environment.ProcessId}"));
        bool staged = Encoding.UTF8.GetByteCount(staging) <= EngineEndpoint.MaxSocketPathBytes;
        string bindPath = staged ? staging : endpoint.SocketPath;
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            if (staged)
            {
                // Left by a crashed engine that had this pid (the real path was cleared by RemoveStaleSocket).
                File.Delete(staging);
            }

            socket.Bind(new UnixDomainSocketEndPoint(bindPath));
            File.SetUnixFileMode(bindPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            socket.Listen(64);
            if (staged)
            {
                File.Move(staging, endpoint.SocketPath, overwrite: true);
            }
        }
        catch
        {
            socket.Dispose();
            if (staged)
            {
                File.Delete(staging);
            }

            throw;
        }

        listener = socket;

        // Logged before the first connection can be answered, so whoever got an answer finds the line in the log.
        logger.LogInformation("RPC socket listening on {SocketPath}", endpoint.SocketPath);

        // Accepting blocks a thread of its own: a connection is then served without waiting for an epoll wake-up and a
        // thread-pool hand-off first, and one that has already sent its events and left is done on this thread.
        acceptThread = new Thread(() => AcceptLoop(socket, stopping.Token)) { IsBackground = true, Name = "Aetherflow RPC accept" };
        acceptThread.Start();
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        listener?.Dispose();
        if (acceptThread is not null)
        {
            // Disposing the listener interrupts the blocked accept.
            await acceptEnded.Task.ConfigureAwait(false);
        }

        foreach (JsonRpc rpc in connections.Values)
        {
            rpc.Dispose();
        }

        if (listener is not null && File.Exists(endpoint.SocketPath))
        {
            File.Delete(endpoint.SocketPath);
        }

        stopping.Dispose();
    }

    private void RemoveStaleSocket()
    {
        if (!Path.Exists(endpoint.SocketPath) && new FileInfo(endpoint.SocketPath).LinkTarget is null)
        {
            return;
        }

        if (!UnixNative.IsSocket(endpoint.SocketPath))
        {
            throw new IOException($"{endpoint.SocketPath} exists and is not a socket; move it away so the engine can listen there");
        }

        // We hold the instance lock, so no live engine owns this socket: it was left behind by a crash.
        logger.LogWarning("Replacing stale socket {SocketPath} left by an engine that is no longer running", endpoint.SocketPath);
        File.Delete(endpoint.SocketPath);
    }

    private void AcceptLoop(Socket socket, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Socket client;
                try
                {
                    client = socket.Accept();
                }
                catch (Exception ex) when (ex is ObjectDisposedException || cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (SocketException ex)
                {
                    logger.LogWarning(ex, "Accepting an RPC connection failed; trying again in {Delay}", AcceptRetryDelay);
                    PauseAfterFailedAccept(cancellationToken);
                    continue;
                }

                try
                {
                    Serve(client, cancellationToken);
                }
                catch (Exception ex)
                {
                    // One connection going wrong (its peer reset before its credentials could be read, say) must not
                    // end the accepting thread.
                    logger.LogWarning(ex, "Serving a new RPC connection failed; it was closed");
                    client.Dispose();
                }
            }
        }
        finally
        {
            acceptEnded.TrySetResult();
        }
    }

    private void PauseAfterFailedAccept(CancellationToken cancellationToken)
    {
        try
        {
            Task.Delay(AcceptRetryDelay, time, cancellationToken).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            // The server is stopping; the loop ends.
        }
    }

    // On the accepting thread: a connection that has already sent its events and closed is served here and now.
    private void Serve(Socket client, CancellationToken cancellationToken)
    {
        long id = Interlocked.Increment(ref nextConnectionId);
        var peer = new RpcPeer(id, PeerCredentials.Of(client));
        if (peer.Credentials is { } credentials && credentials.Uid != ownUid)
        {
            logger.LogWarning("Refused RPC connection {Peer} from uid {Uid}: only the engine's own user may connect", peer, credentials.Uid);
            _ = RefuseAsync(client, credentials.Uid);
            return;
        }

        var sessionEvents = new PluginEventSink(pluginEvents, peer, logger);
        byte[] rest;
        try
        {
            if (arrived.TryTakeAll(client, sessionEvents, out rest))
            {
                sessionEvents.Dispose();
                client.Dispose();
                return;
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            logger.LogDebug(ex, "RPC connection {Peer} ended with an I/O error", peer);
            sessionEvents.Dispose();
            client.Dispose();
            return;
        }
        catch
        {
            sessionEvents.Dispose();
            throw;
        }

        _ = ServeAsync(client, peer, rest, sessionEvents, cancellationToken);
    }

    private async Task ServeAsync(Socket client, RpcPeer peer, byte[] arrivedRest, PluginEventSink sessionEvents, CancellationToken cancellationToken)
    {
        long id = peer.ConnectionId;
        var socketStream = new NetworkStream(client, ownsSocket: true);
        Stream stream = arrivedRest.Length == 0 ? socketStream : new PrefixedStream(arrivedRest, socketStream);
        SystemTextJsonFormatter formatter = EngineJson.CreateFormatter();
        var handler = new JsonLineMessageHandler(stream, formatter, maxFrameBytes, time);
        await using PluginEventSink ownedSink = sessionEvents;
        handler.SessionEvents = sessionEvents;
        EngineJsonRpc? rpc = null;
        try
        {
            // A plugin that connects, pushes its events and leaves is served by the read loop alone; the JSON-RPC
            // connection (its dispatcher and target) is only built for a connection that sends anything else.
            if (!await handler.ReadSessionEventsAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            rpc = new EngineJsonRpc(handler, logger)
            {
                // Methods start one at a time in the order their lines arrived (an async method lets the next one
                // start at its first await). StreamJsonRpc's default starts them concurrently on the thread pool,
                // which would reorder the plugin's session.event notifications.
                SynchronizationContext = new Microsoft.VisualStudio.Threading.NonConcurrentSynchronizationContext(sticky: false),
            };
            rpc.AddLocalRpcTarget(EngineRpcTarget.Metadata, createTarget(peer, rpc, sessionEvents), new JsonRpcTargetOptions { DisposeOnDisconnect = true });
            connections[id] = rpc;
            logger.LogDebug("RPC connection {Peer} opened", peer);
            rpc.StartListening();
            await rpc.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The server is stopping; DisposeAsync closes the connection.
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or ConnectionLostException)
        {
            logger.LogDebug(ex, "RPC connection {Peer} ended with an I/O error", peer);
        }
        finally
        {
            if (rpc is null)
            {
                await handler.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                connections.TryRemove(id, out _);
                rpc.Dispose();
                logger.LogDebug("RPC connection {Peer} closed", peer);
            }
        }
    }

    private async Task RefuseAsync(Socket client, uint uid)
    {
        try
        {
            string line = $"{{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{{\"code\":{RpcErrorCodes.InvalidRequest},\"message\":\"refused: uid {uid} may not use another user's engine\"}}}}\n";
            await client.SendAsync(System.Text.Encoding.UTF8.GetBytes(line), SocketFlags.None).ConfigureAwait(false);

            // Closing with the peer's request still unread would reset the connection and could lose the reply: read
            // (and drop) what it sent, briefly and boundedly, before closing.
            client.Shutdown(SocketShutdown.Send);
            using var drain = new CancellationTokenSource(RefusalDrain, time);
            byte[] sink = new byte[4096];
            for (int total = 0; total < 64 * 1024;)
            {
                int read = await client.ReceiveAsync(sink, SocketFlags.None, drain.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }
        }
        catch (OperationCanceledException)
        {
            logger.LogDebug("Refused peer kept its connection open; closing it");
        }
        catch (SocketException ex)
        {
            logger.LogDebug(ex, "Could not tell refused peer why");
        }
        finally
        {
            client.Dispose();
        }
    }
}
