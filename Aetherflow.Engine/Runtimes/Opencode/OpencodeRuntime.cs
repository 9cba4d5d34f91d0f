using System.Collections.Concurrent;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Events;
using Aetherflow.Engine.Opencode;
using Aetherflow.Engine.Sessions;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Runtimes.Opencode;

/// <summary>
/// Runs agents as opencode sessions on one server, driven over its HTTP API: <c>POST /session</c> in the agent's
/// worktree (titled and tagged with agent, task, origin and project, so correlation is exact by construction), then the
/// prompt with <c>prompt_async</c>. Progress and the outcome come from the server's event stream through the shared
/// <see cref="OpencodeEventPump"/>. A respawn resumes its session: still busy → watched as it is; idle → told to
/// continue; gone → a new session with the full prompt.
/// </summary>
public sealed class OpencodeRuntime : IAgentRuntime
{
    private const string ContinuePrompt =
        "Your previous run on this task stopped before it finished (it crashed, was stopped, or the engine restarted). " +
        "Carry on from where you left off: check `git status`, the commits on your branch and the task log first, then " +
        "continue with your protocol. Do not start over.";

    private readonly OpencodeClient client;
    private readonly OpencodeEventPump pump;
    private readonly OpencodeRuntimeOptions options;
    private readonly Func<bool> serverAlive;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<string, OpencodeAgentHandle> handles = new(StringComparer.Ordinal);

    public OpencodeRuntime(OpencodeClient client, OpencodeEventPump pump, OpencodeRuntimeOptions options, Func<bool> serverAlive, TimeProvider time, ILogger logger)
    {
        this.client = client;
        this.pump = pump;
        this.options = options;
        this.serverAlive = serverAlive;
        this.time = time;
        this.logger = logger;
    }

    public string Name => "opencode";

    /// <summary>The handles of running agents by session id (for the engine's detail views and control).</summary>
    public IReadOnlyDictionary<string, OpencodeAgentHandle> Running => handles;

    public async Task<IAgentHandle> StartAsync(AgentLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        string directory = Path.GetFullPath(launch.WorkingDirectory);
        try
        {
            (string sessionId, bool resumed, bool busy) = await OpenSessionAsync(launch, directory, cancellationToken).ConfigureAwait(false);
            await RecordAsync(launch, sessionId, directory, cancellationToken).ConfigureAwait(false);
            AgentStateTracker tracker = pump.Track(sessionId, directory);
            var handle = new OpencodeAgentHandle(sessionId, directory, client, pump, tracker, options, serverAlive, time, logger);
            handles[sessionId] = handle;
            _ = handle.Completion.ContinueWith(_ => handles.TryRemove(new KeyValuePair<string, OpencodeAgentHandle>(sessionId, handle)), TaskScheduler.Default);
            if (resumed)
            {
                await pump.BackfillAsync(sessionId, cancellationToken).ConfigureAwait(false);
            }

            if (busy)
            {
                logger.LogInformation("Agent {Agent} adopts session {Session}, which is still working", launch.AgentName, sessionId);
                handle.AdoptRunningTurn();
            }
            else
            {
                await handle.SendAsync(resumed ? ContinuePrompt : launch.Prompt, cancellationToken).ConfigureAwait(false);
            }

            return handle;
        }
        catch (OpencodeApiException ex)
        {
            throw new AgentLaunchException(ex.Message, ex);
        }
    }

    /// <summary>
    /// After the server restarted, turns that were running died with it: each agent whose session is no longer busy
    /// ends as failed, so the pool resumes it.
    /// </summary>
    public async Task RecheckAfterServerRestartAsync(CancellationToken cancellationToken)
    {
        foreach (OpencodeAgentHandle handle in handles.Values)
        {
            try
            {
                await pump.BackfillAsync(handle.SessionId, cancellationToken).ConfigureAwait(false);
                IReadOnlyDictionary<string, OpencodeSessionStatus> statuses = await client.GetSessionStatusAsync(handle.Directory, cancellationToken).ConfigureAwait(false);
                if (!statuses.TryGetValue(handle.SessionId, out OpencodeSessionStatus? status) || status.IsIdle)
                {
                    handle.EndInterrupted("the opencode server restarted during the turn");
                }
            }
            catch (OpencodeApiException ex)
            {
                logger.LogWarning("Checking session {Session} after the server restarted failed: {Error}", handle.SessionId, ex.Message);
            }
        }
    }

    private async Task<(string SessionId, bool Resumed, bool Busy)> OpenSessionAsync(AgentLaunch launch, string directory, CancellationToken cancellationToken)
    {
        if (launch.ResumeSessionId is { } resume)
        {
            try
            {
                OpencodeSession existing = await client.GetSessionAsync(resume, directory, cancellationToken).ConfigureAwait(false);
                IReadOnlyDictionary<string, OpencodeSessionStatus> statuses = await client.GetSessionStatusAsync(directory, cancellationToken).ConfigureAwait(false);
                bool busy = statuses.TryGetValue(existing.Id, out OpencodeSessionStatus? status) && !status.IsIdle;
                return (existing.Id, true, busy);
            }
            catch (OpencodeApiException ex) when (ex.IsNotFound)
            {
                logger.LogWarning("Session {Session} of {Work} no longer exists; starting a new one", resume, launch.WorkId);
            }
        }

        OpencodeSession created = await client.CreateSessionAsync(
            new OpencodeSessionCreateRequest
            {
                Title = launch.Title,
                Metadata = new Dictionary<string, string>
                {
                    [SessionMetadataKeys.Agent] = launch.AgentName,
                    [SessionMetadataKeys.Task] = launch.WorkId,
                    [SessionMetadataKeys.Origin] = Origin(launch) == SessionOrigin.Spawn ? "spawn" : "pool",
                    [SessionMetadataKeys.Project] = options.Project,
                },
                Permission = options.Permissions,
            },
            directory,
            cancellationToken).ConfigureAwait(false);
        return (created.Id, false, false);
    }

    private async Task RecordAsync(AgentLaunch launch, string sessionId, string directory, CancellationToken cancellationToken)
    {
        if (options.Registry is not { } registry)
        {
            return;
        }

        try
        {
            await registry.UpsertAsync(
                new SessionUpsert
                {
                    ServerRef = options.ServerRef,
                    SessionId = sessionId,
                    Directory = directory,
                    Project = options.Project,
                    OriginType = Origin(launch),
                    WorkRef = launch.WorkId,
                    AgentId = launch.AgentName,
                    Status = SessionStatus.Active,
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (SessionRegistryException ex)
        {
            // The agent can run without its registry record; only resuming after a restart would miss it.
            logger.LogWarning("Could not record session {Session} in the registry: {Error}", sessionId, ex.Message);
        }
    }

    private static SessionOrigin Origin(AgentLaunch launch) => launch.Role == "spawn" ? SessionOrigin.Spawn : SessionOrigin.Pool;
}
