using Aetherflow.Engine.Api;
using Aetherflow.Engine.Runtimes;
using Aetherflow.Engine.Tasks;
using Aetherflow.Engine.Text;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Pool;

/// <summary>One agent's life: launch (prep → claim → launch), exit, retry with backoff, give up, stop, hang, vanish.</summary>
public sealed partial class AgentPool
{
    // How long an agent found gone by the liveness sweep may take to report its exit before it is judged vanished.
    private static readonly TimeSpan VanishGrace = TimeSpan.FromSeconds(5);

    private const string HangSteerMessage =
        "You have produced no output for a long time. If you are waiting on something, stop waiting: summarise where you are, " +
        "finish the current step or record a handoff, and carry on.";

    private PoolEntry NewEntry(string workId, AgentOrigin origin, string role, string title)
    {
        if (entries.TryGetValue(workId, out PoolEntry? finished))
        {
            services.Names.Release(finished.AgentName);
        }

        var entry = new PoolEntry(workId, origin, services.Names.Next(), role, TerminalText.SanitizeLine(title), time.GetUtcNow());
        entries[workId] = entry;
        TrimFinished();
        return entry;
    }

    private AgentInfo StartSpawn(SpawnRequest request)
    {
        string name = services.Names.Next();
        string spawnId = services.Names.SpawnIdFor(name);
        services.Names.Release(name);
        string firstLine = request.Prompt.Split('\n', 2)[0].Trim();
        PoolEntry entry = NewEntryNamed(spawnId, name, firstLine);
        entry.SpawnPrompt = request.Prompt;
        entry.SpawnSolo = request.Solo ?? options.Solo;
        Decide("spawn", "spawn:" + spawnId, $"{name} spawned by {request.RequestedBy}: {TerminalText.Truncate(entry.Title, 60)}", entry);
        Launch(entry, claim: false, lookUpSession: false);
        return entry.ToInfo();
    }

    private PoolEntry NewEntryNamed(string spawnId, string name, string title)
    {
        services.Names.Reserve(name);
        var entry = new PoolEntry(spawnId, AgentOrigin.Spawn, name, "spawn", TerminalText.SanitizeLine(title), time.GetUtcNow());
        entries[spawnId] = entry;
        TrimFinished();
        return entry;
    }

    /// <summary>Prep → claim (new pool tasks only) → launch, off the loop. Only what can fail cheaply comes before the claim.</summary>
    private void Launch(PoolEntry entry, bool claim, bool lookUpSession)
    {
        entry.Phase = EntryPhase.Launching;
        entry.Status = new AgentRuntimeStatus();
        int generation = ++entry.Generation;
        string workId = entry.WorkId;
        string agentName = entry.AgentName;
        string? resume = entry.SessionId;
        string? spawnPrompt = entry.SpawnPrompt;
        bool spawnSolo = entry.SpawnSolo;
        AgentOrigin origin = entry.Origin;
        Background($"launch {workId}", async ct =>
        {
            string prompt;
            string role = entry.Origin == AgentOrigin.Spawn ? "spawn" : "worker";
            string title;
            AgentWorkspace workspace;
            try
            {
                if (origin == AgentOrigin.Pool)
                {
                    TrackerTaskDetail detail = await services.Tasks.GetAsync(workId, ct).ConfigureAwait(false);
                    role = detail.Labels.Contains("plan", StringComparer.Ordinal) ? "planner" : "worker";
                    prompt = services.Prompts.ForTask(detail, role);
                    title = detail.Title;
                }
                else
                {
                    prompt = services.Prompts.ForSpawn(workId, spawnPrompt ?? string.Empty, spawnSolo);
                    title = spawnPrompt ?? workId;
                }

                workspace = await services.Workspaces.PrepareAsync(workId, ct).ConfigureAwait(false);
                if (lookUpSession && resume is null && services.Sessions is not null)
                {
                    resume = await services.Sessions.FindAsync(workId, ct).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Post(() => OnLaunchFailed(entry, generation, "prep", Reason(ex), claimed: !claim && origin == AgentOrigin.Pool));
                return;
            }

            if (claim)
            {
                try
                {
                    await services.Tasks.ClaimAsync(workId, ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (IsTrackerFailure(ex))
                {
                    Post(() => OnLaunchFailed(entry, generation, "claim", Reason(ex), claimed: false));
                    return;
                }
            }

            IAgentHandle handle;
            try
            {
                handle = await services.Runtime.StartAsync(
                    new AgentLaunch
                    {
                        AgentName = agentName,
                        WorkId = workId,
                        Role = role,
                        Title = $"{agentName} · {workId}",
                        Prompt = prompt,
                        WorkingDirectory = workspace.Path,
                        ResumeSessionId = resume,
                    },
                    ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Post(() => OnLaunchFailed(entry, generation, "launch", Reason(ex), claimed: origin == AgentOrigin.Pool));
                return;
            }

            Post(() => OnLaunched(entry, generation, handle, workspace, role, title));
        });
    }

    private void OnLaunched(PoolEntry entry, int generation, IAgentHandle handle, AgentWorkspace workspace, string role, string title)
    {
        if (entry.Generation != generation || entry.Phase != EntryPhase.Launching)
        {
            // Replaced meanwhile (stopped while launching, shut down): this agent must not run unsupervised.
            Background("stop superseded agent", ct => handle.StopAsync(options.StopGrace, ct));
            return;
        }

        entry.Phase = EntryPhase.Running;
        entry.Handle = handle;
        entry.VanishSuspected = false;

        // An agent that ended at once may already say so here; its exit is still published by OnCompleted, with its code.
        entry.Status = handle.Status.Activity == AgentActivity.Exited ? handle.Status with { Activity = AgentActivity.Busy } : handle.Status;
        entry.SessionId = handle.Status.SessionId ?? entry.SessionId;
        entry.Worktree = workspace.Path;
        entry.Branch = workspace.Branch;
        entry.Role = role;
        entry.Title = TerminalText.SanitizeLine(entry.Origin == AgentOrigin.Spawn ? title.Split('\n', 2)[0] : title);
        entry.LastError = null;
        handle.StatusChanged += (_, status) => Post(() => OnStatus(entry, generation, status));
        handle.Completion.ContinueWith(
            done => Post(() => OnCompleted(entry, generation, done.IsCompletedSuccessfully ? done.Result : new AgentOutcome(false, null, "the runtime lost track of the agent", entry.SessionId))),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        Decide("launch", "run:" + entry.WorkId, $"{entry.AgentName} is running {entry.WorkId}{(entry.Retries > 0 ? $" (respawn {entry.Retries}/{options.MaxRetries})" : string.Empty)}", entry);
        if (entry.StopRequestedBy is not null)
        {
            Background($"stop {entry.AgentName}", ct => handle.StopAsync(options.StopGrace, ct));
        }
    }

    private void OnLaunchFailed(PoolEntry entry, int generation, string phase, string reason, bool claimed)
    {
        if (entry.Generation != generation)
        {
            return;
        }

        entry.LastError = $"{phase} failed: {reason}";
        bool firstRun = entry.Retries == 0 && entry.Origin == AgentOrigin.Pool;
        if (entry.StopRequestedBy is not null)
        {
            Finish(entry, $"stopped by {entry.StopRequestedBy} before it started");
            PutBack(entry, $"stopped by {entry.StopRequestedBy} before an agent started", claimed);
            return;
        }

        if (firstRun && phase is "prep" or "claim" && !claimed)
        {
            // Nothing was claimed: the task is still open. Leave it alone for a while so a broken task does not spin.
            Finish(entry, entry.LastError);
            CoolDown(entry.WorkId);
            Decide("skip", "task:" + entry.WorkId, $"{entry.WorkId} not started: {phase} failed: {reason}", entry);
            return;
        }

        if (firstRun && phase == "launch")
        {
            // Claimed but no agent: put the task back at once — never leave it in progress with nobody on it.
            Finish(entry, entry.LastError);
            PutBack(entry, $"could not start an agent: {reason}", claimed: true);
            return;
        }

        Fail(entry, entry.LastError);
    }

    private void OnCompleted(PoolEntry entry, int generation, AgentOutcome outcome)
    {
        if (entry.Generation != generation || entry.Phase != EntryPhase.Running)
        {
            return;
        }

        entry.Handle = null;
        entry.ExitCode = outcome.ExitCode ?? (outcome.Succeeded ? 0 : 1);
        entry.SessionId = outcome.SessionId ?? entry.Status.SessionId ?? entry.SessionId;
        entry.Status = entry.Status with { Activity = AgentActivity.Exited };
        if (entry.StopRequestedBy is not null)
        {
            Finish(entry, $"stopped by {entry.StopRequestedBy}");
            PutBack(entry, $"the agent was stopped by {entry.StopRequestedBy}", claimed: true);
            return;
        }

        if (!outcome.Succeeded)
        {
            Fail(entry, outcome.Reason);
            return;
        }

        if (entry.Origin == AgentOrigin.Spawn)
        {
            Finish(entry, null);
            Decide("finish", "run:" + entry.WorkId, $"{entry.AgentName} finished {entry.WorkId}", entry);
            return;
        }

        // A clean exit is only a success if the agent moved its task on; ask the tracker.
        Background($"check {entry.WorkId}", async ct =>
        {
            TrackerTaskState? taskState = null;
            string? error = null;
            try
            {
                taskState = (await services.Tasks.GetAsync(entry.WorkId, ct).ConfigureAwait(false)).State;
            }
            catch (Exception ex) when (IsTrackerFailure(ex))
            {
                error = Reason(ex);
            }

            Post(() => OnCleanExitChecked(entry, generation, taskState, error));
        });
    }

    private void OnCleanExitChecked(PoolEntry entry, int generation, TrackerTaskState? taskState, string? error)
    {
        if (entry.Generation != generation || entry.Phase != EntryPhase.Running)
        {
            return;
        }

        switch (taskState)
        {
            case TrackerTaskState.InProgress:
                Fail(entry, "exited cleanly but left its task in progress");
                break;
            case TrackerTaskState.Open or TrackerTaskState.Draft:
                Finish(entry, null);
                CoolDown(entry.WorkId);
                Decide("finish", "run:" + entry.WorkId, $"{entry.AgentName} handed {entry.WorkId} back ({Word(taskState.Value)}); it is left alone for {options.GiveUpCooldown.TotalMinutes:0} min", entry);
                break;
            case null:
                Finish(entry, null);
                Decide("finish", "run:" + entry.WorkId, $"{entry.AgentName} exited cleanly; the tracker could not confirm {entry.WorkId}'s state ({error}); reclaim will adopt it if it is still in progress", entry);
                break;
            default:
                Finish(entry, null);
                Decide("finish", "run:" + entry.WorkId, $"{entry.AgentName} finished {entry.WorkId}; it is {Word(taskState.Value)}", entry);
                break;
        }
    }

    private void Fail(PoolEntry entry, string reason)
    {
        entry.LastError = TerminalText.SanitizeLine(reason);
        if (entry.Retries >= options.MaxRetries)
        {
            Finish(entry, entry.LastError);
            if (entry.Origin == AgentOrigin.Pool)
            {
                PutBack(entry, options.MaxRetries == 0
                    ? $"the agent failed ({entry.LastError}) and max_retries is 0"
                    : $"gave up after {entry.Retries + 1} failed runs; last: {entry.LastError}", claimed: true);
            }
            else
            {
                Decide("give-up", "run:" + entry.WorkId, $"{entry.AgentName} failed ({entry.LastError}); no retries left", entry);
            }

            return;
        }

        entry.Retries++;
        TimeSpan delay = backoff.Delay(entry.Retries);
        entry.Phase = EntryPhase.BackingOff;
        int generation = ++entry.Generation;

        // The timer starts on the loop, before the decision is announced, so the backoff counts from the decision (not
        // from when a thread picks the wait up) and a clock advanced by anyone who saw the decision always reaches it.
        WhenWaitEnds(Task.Delay(delay, time, stopping.Token), due =>
        {
            if (due.IsCompletedSuccessfully)
            {
                Post(() => OnRespawnDue(entry, generation));
            }
        });
        Decide("backoff", "run:" + entry.WorkId, $"{entry.AgentName} failed ({entry.LastError}); respawn {entry.Retries}/{options.MaxRetries} in {Config.DurationText.Format(delay)}", entry);
    }

    private void OnRespawnDue(PoolEntry entry, int generation)
    {
        if (entry.Generation != generation || entry.Phase != EntryPhase.BackingOff)
        {
            return;
        }

        if (mode == PoolMode.Paused)
        {
            entry.Phase = EntryPhase.Held;
            Decide("skip", "run:" + entry.WorkId, $"{entry.AgentName}: respawn held; the pool is paused", entry);
            return;
        }

        Relaunch(entry);
    }

    private void Relaunch(PoolEntry entry) => Launch(entry, claim: false, lookUpSession: false);

    private void Finish(PoolEntry entry, string? error)
    {
        entry.Phase = EntryPhase.Finished;
        entry.Handle = null;
        entry.FinishedAt = time.GetUtcNow();
        entry.Generation++;
        if (error is not null)
        {
            entry.LastError = error;
            entry.ExitCode ??= 1;
        }

        entry.Status = entry.Status with { Activity = AgentActivity.Exited };
        services.Names.Release(entry.AgentName);
        TrimFinished();
    }

    /// <summary>Puts a claimed pool task back to open with a log line saying why, off the loop.</summary>
    private void PutBack(PoolEntry entry, string why, bool claimed)
    {
        if (entry.Origin != AgentOrigin.Pool)
        {
            Decide("finish", "run:" + entry.WorkId, $"{entry.AgentName}: {why}", entry);
            return;
        }

        CoolDown(entry.WorkId);
        Decide("put-back", "run:" + entry.WorkId, $"{entry.WorkId} put back to open: {why}", entry);
        if (!claimed)
        {
            return;
        }

        string workId = entry.WorkId;

        // Until the tracker says open, the task still looks in progress: keep reclaim from adopting it meanwhile.
        puttingBack.Add(workId);
        Background($"put back {workId}", async ct =>
        {
            try
            {
                await services.Tasks.ReopenAsync(workId, ct).ConfigureAwait(false);
                await services.Tasks.AppendLogAsync(workId, $"aetherflow: put back to open: {why}", ct).ConfigureAwait(false);
                Post(() => puttingBack.Remove(workId));
            }
            catch (Exception ex) when (IsTrackerFailure(ex))
            {
                // The task stays in progress with no agent; the next reclaim pass adopts it. Say so loudly.
                logger.LogWarning("Could not put {Task} back to open ({Error}); reclaim will adopt it", workId, Reason(ex));
                Post(() => puttingBack.Remove(workId));
                Post(() => Decide("warning", "put-back:" + workId, $"{workId} could not be put back to open ({Reason(ex)}); reclaim will adopt it", taskId: workId));
            }
        });
    }

    private void RequestStop(string agentName, string requestedBy)
    {
        PoolEntry entry = entries.Values.FirstOrDefault(e => e.AgentName == agentName && e.Phase != EntryPhase.Finished)
            ?? throw new KeyNotFoundException($"no running agent is named '{agentName}'");
        entry.StopRequestedBy = requestedBy;
        Decide("stop", "run:" + entry.WorkId, $"{entry.AgentName} stop requested by {requestedBy}", entry);
        switch (entry.Phase)
        {
            case EntryPhase.Running when entry.Handle is { } handle:
                Background($"stop {agentName}", ct => handle.StopAsync(options.StopGrace, ct));
                break;
            case EntryPhase.BackingOff or EntryPhase.Held:
                Finish(entry, $"stopped by {requestedBy}");
                PutBack(entry, $"the agent was stopped by {requestedBy}", claimed: true);
                break;
            default:
                // Launching: the launch result sees the stop request and stops the agent at once.
                break;
        }
    }

    private void OnStatus(PoolEntry entry, int generation, AgentRuntimeStatus status)
    {
        if (entry.Generation != generation || entry.Phase != EntryPhase.Running)
        {
            return;
        }

        AgentActivity previous = entry.Status.Activity;

        // An exit is published by OnCompleted together with its code and verdict, never before them.
        entry.Status = status.Activity == AgentActivity.Exited ? status with { Activity = previous } : status;
        entry.SessionId = status.SessionId ?? entry.SessionId;
        if (status.Activity == AgentActivity.Hung && previous != AgentActivity.Hung)
        {
            OnHung(entry);
        }
    }

    private void OnHung(PoolEntry entry)
    {
        IAgentHandle? handle = entry.Handle;
        string quiet = entry.Status.LastEventAt is { } last ? $" since {last:HH:mm:ss}" : string.Empty;
        switch (options.HangAction)
        {
            case "stop" when handle is not null:
                Decide("hung", "hang:" + entry.WorkId, $"{entry.AgentName} is hung (no events{quiet}); stopping it to respawn", entry);
                Background($"stop hung {entry.AgentName}", ct => handle.StopAsync(options.StopGrace, ct));
                break;
            case "steer" when handle is ISteerableAgent steerable:
                Decide("hung", "hang:" + entry.WorkId, $"{entry.AgentName} is hung (no events{quiet}); nudging it", entry);
                Background($"steer hung {entry.AgentName}", ct => steerable.SteerAsync(HangSteerMessage, "aetherflow (hang detection)", ct));
                break;
            default:
                Decide("hung", "hang:" + entry.WorkId, $"{entry.AgentName} is hung (no events{quiet}); hang_action is {options.HangAction}", entry);
                break;
        }
    }

    // The liveness sweep frees agents whose process vanished without their exit being seen, and records why.
    private void SweepVanishedAgents()
    {
        foreach (PoolEntry entry in entries.Values.Where(e => e.Phase == EntryPhase.Running && e.Handle is not null && !e.VanishSuspected).ToList())
        {
            // An agent whose exit is already known did not vanish: its completion, on its way to this loop, records the
            // real outcome (exit code and error). Judging it gone here would lose them.
            if (entry.Handle!.Completion.IsCompleted)
            {
                continue;
            }

            bool alive;
            try
            {
                alive = entry.Handle!.IsAlive();
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException)
            {
                logger.LogWarning(ex, "Liveness probe of {Agent} failed", entry.AgentName);
                continue;
            }

            if (!alive)
            {
                entry.VanishSuspected = true;
                ConfirmVanished(entry, entry.Generation, entry.Handle!);
            }
        }
    }

    // A process found gone may just have exited, with its runtime still composing the outcome (the exit is reaped
    // before the completion is set). It is judged vanished only when no completion follows within a grace period.
    // The grace's timer starts on the loop, when the agent is found gone, as the backoff's does. A completion within
    // the grace (an exit, or the runtime failing it: "the runtime lost track of the agent") is recorded by the
    // completion's own continuation; stopping the pool ends the wait with nothing to record.
    private void ConfirmVanished(PoolEntry entry, int generation, IAgentHandle handle) =>
        WhenWaitEnds(handle.Completion.WaitAsync(VanishGrace, time, stopping.Token), wait =>
        {
            if (wait.Exception?.InnerException is TimeoutException)
            {
                Post(() => OnCompleted(entry, generation, new AgentOutcome(false, null, "the agent vanished (its process is gone)", entry.SessionId)));
            }
        });

    private void TrimFinished()
    {
        List<PoolEntry> finished = entries.Values.Where(e => e.Phase == EntryPhase.Finished).OrderByDescending(e => e.FinishedAt).ToList();
        foreach (PoolEntry old in finished.Skip(options.FinishedAgentsKept))
        {
            entries.Remove(old.WorkId);
        }
    }

    private static string Word(TrackerTaskState value) => value switch
    {
        TrackerTaskState.InProgress => "in progress",
        _ => value.ToString().ToLowerInvariant(),
    };
}
