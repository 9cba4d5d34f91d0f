using Aetherflow.Engine.Api;
using Aetherflow.Engine.Pool;
using Aetherflow.Engine.Tasks;
using Aetherflow.Engine.Tests.Support;

namespace Aetherflow.Engine.Tests.Pool;

/// <summary>Scheduling, reaping, retries and put-backs, driven by a fake clock, tracker and runtime.</summary>
public sealed class AgentPoolTests
{
    [Test]
    public async Task A_ready_task_is_prepared_then_claimed_then_launched_with_its_rendered_prompt()
    {
        await using var pool = new PoolHarness();
        pool.Tasks.Add("ts-000001");

        await pool.ScheduleAsync();
        var agent = await pool.UntilLaunchedAsync("ts-000001");

        Assert.That(agent.Launch.Prompt, Is.EqualTo("worker prompt for ts-000001"));
        Assert.That(agent.Launch.WorkingDirectory, Is.EqualTo("/repo/.aetherflow/worktrees/ts-000001"));
        Assert.That(agent.Launch.ResumeSessionId, Is.Null);
        List<string> calls = pool.Tasks.Calls.Where(c => c.EndsWith("ts-000001", StringComparison.Ordinal)).ToList();
        Assert.That(calls, Is.EqualTo(new[] { "get ts-000001", "claim ts-000001" }), "prep (get) comes before the claim");
        Assert.That(pool.Tasks.StateOf("ts-000001"), Is.EqualTo(TrackerTaskState.InProgress));
        AgentInfo info = pool.Agent("ts-000001");
        Assert.That(info.Role, Is.EqualTo("worker"));
        Assert.That(info.Branch, Is.EqualTo("af/ts-000001"));
        Assert.That(info.Name, Does.Match("^[a-z]+_[a-z]+$"));
    }

    [Test]
    public async Task A_task_labelled_plan_gets_the_planner_role()
    {
        await using var pool = new PoolHarness();
        pool.Tasks.Add("ts-000001", labels: "plan");

        await pool.ScheduleAsync();
        var agent = await pool.UntilLaunchedAsync("ts-000001");

        Assert.That(agent.Launch.Role, Is.EqualTo("planner"));
        Assert.That(agent.Launch.Prompt, Is.EqualTo("planner prompt for ts-000001"));
    }

    [Test]
    public async Task A_running_task_is_not_started_twice()
    {
        await using var pool = new PoolHarness();
        pool.Tasks.Add("ts-000001");
        await pool.ScheduleAsync();
        await pool.UntilLaunchedAsync("ts-000001");

        await pool.ScheduleAsync();
        await pool.ScheduleAsync();

        Assert.That(pool.Runtime.LaunchesOf("ts-000001"), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task The_pool_size_is_respected_and_the_rest_wait_with_a_reason()
    {
        await using var pool = new PoolHarness();
        for (int i = 1; i <= 5; i++)
        {
            pool.Tasks.Add($"ts-00000{i}", priority: i);
        }

        await pool.ScheduleAsync();
        await pool.UntilAsync(() => pool.Runtime.Launched.Count == 3, "three launches");
        await pool.ScheduleAsync();

        Assert.That(pool.Runtime.Launched.Select(a => a.Launch.WorkId), Is.EquivalentTo(new[] { "ts-000001", "ts-000002", "ts-000003" }));
        Assert.That(pool.Decisions, Has.One.EqualTo("skip: 2 ready tasks wait: pool full (3/3)"));
        Assert.That(pool.Pool.State.Queue.Select(q => q.Id), Is.EqualTo(new[] { "ts-000004", "ts-000005" }));
    }

    [Test]
    public async Task A_clean_exit_that_moved_the_task_on_frees_the_slot_and_is_not_respawned()
    {
        await using var pool = new PoolHarness(new PoolOptions { PoolSize = 1 });
        pool.Tasks.Add("ts-000001");
        pool.Tasks.Add("ts-000002");
        await pool.ScheduleAsync();
        var agent = await pool.UntilLaunchedAsync("ts-000001");

        pool.Tasks.SetState("ts-000001", TrackerTaskState.Reviewing);
        agent.Exit(0);
        await pool.UntilAgentAsync("ts-000001", AgentActivity.Exited);
        await pool.ScheduleAsync();
        await pool.UntilLaunchedAsync("ts-000002");

        Assert.That(pool.Runtime.LaunchesOf("ts-000001"), Has.Count.EqualTo(1));
        Assert.That(pool.Agent("ts-000001").ExitCode, Is.Zero);
        Assert.That(pool.Decisions.Any(d => d.Contains("finished ts-000001; it is reviewing", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public async Task A_crash_respawns_on_the_same_task_and_session_after_a_backoff()
    {
        await using var pool = new PoolHarness();
        pool.Tasks.Add("ts-000001");
        await pool.ScheduleAsync();
        var first = await pool.UntilLaunchedAsync("ts-000001");

        first.Exit(2);
        await pool.UntilAgentAsync("ts-000001", AgentActivity.BackingOff);
        await pool.AdvanceAsync(TimeSpan.FromSeconds(2.4));
        Assert.That(pool.Runtime.LaunchesOf("ts-000001"), Has.Count.EqualTo(1), "no respawn before half the first backoff");
        await pool.AdvanceAsync(TimeSpan.FromSeconds(2.7));
        var second = await pool.UntilLaunchedAsync("ts-000001", 2);

        Assert.That(second.Launch.ResumeSessionId, Is.EqualTo(first.SessionId));
        Assert.That(second.Launch.AgentName, Is.EqualTo(first.Launch.AgentName), "the agent keeps its name across respawns");
        Assert.That(pool.Agent("ts-000001").Retries, Is.EqualTo(1));
        Assert.That(pool.Tasks.Calls, Has.None.StartsWith("claim ts-000001 ").And.Exactly(1).EqualTo("claim ts-000001"));
        Assert.That(pool.Decisions.Any(d => d.StartsWith("backoff:", StringComparison.Ordinal) && d.Contains("failed (exited with code 2); respawn 1/3 in", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public async Task A_request_after_the_pool_stopped_fails_at_once_instead_of_waiting_for_an_answer()
    {
        var pool = new PoolHarness();
        await pool.DisposeAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => pool.Pool.StopAgentAsync("ghost_wolf", "test", CancellationToken.None).WaitAsync(Eventually.DefaultTimeout));

        Assert.That(error!.Message, Is.EqualTo("the engine is stopping and takes no more requests; start it again"));
    }

    [Test]
    public async Task A_backoff_counts_from_its_decision()
    {
        await using var pool = new PoolHarness();
        // Whoever sees the backoff decision and moves the clock past it (here: at once, on the pool's own loop) must
        // find the respawn timer already running; a timer started later would wait a whole backoff more.
        pool.Pool.Decided += (_, decision) =>
        {
            if (decision.Kind == "backoff")
            {
                pool.Clock.Advance(pool.Options.RetryBackoff);
            }
        };
        pool.Tasks.Add("ts-000001");
        await pool.ScheduleAsync();

        (await pool.UntilLaunchedAsync("ts-000001")).Exit(2);

        await pool.UntilLaunchedAsync("ts-000001", 2);
    }

    [Test]
    public async Task A_crash_loop_backs_off_exponentially_up_to_the_maximum()
    {
        await using var pool = new PoolHarness(new PoolOptions { MaxRetries = 5, RetryBackoff = TimeSpan.FromSeconds(10), RetryBackoffMax = TimeSpan.FromSeconds(30) });
        pool.Tasks.Add("ts-000001");
        await pool.ScheduleAsync();
        var agent = await pool.UntilLaunchedAsync("ts-000001");
        TimeSpan[] ceilings = [TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)];

        for (int attempt = 0; attempt < ceilings.Length; attempt++)
        {
            agent.Exit(1);
            await pool.UntilAgentAsync("ts-000001", AgentActivity.BackingOff);
            await pool.AdvanceAsync(ceilings[attempt] / 2 - TimeSpan.FromMilliseconds(1));
            Assert.That(pool.Runtime.LaunchesOf("ts-000001"), Has.Count.EqualTo(attempt + 1), $"respawn {attempt + 1} waits at least half of {ceilings[attempt]}");
            await pool.AdvanceAsync(ceilings[attempt] / 2 + TimeSpan.FromMilliseconds(1));
            agent = await pool.UntilLaunchedAsync("ts-000001", attempt + 2);
        }
    }

    [Test]
    public async Task When_retries_run_out_the_task_is_put_back_with_a_log_entry_and_left_alone()
    {
        await using var pool = new PoolHarness(new PoolOptions { MaxRetries = 1, RetryBackoff = TimeSpan.FromSeconds(1) });
        pool.Tasks.Add("ts-000001");
        await pool.ScheduleAsync();
        (await pool.UntilLaunchedAsync("ts-000001")).Exit(1);
        await pool.UntilAgentAsync("ts-000001", AgentActivity.BackingOff);
        await pool.AdvanceAsync(TimeSpan.FromSeconds(1));
        (await pool.UntilLaunchedAsync("ts-000001", 2)).Exit(3);

        await pool.UntilAsync(() => pool.Tasks.StateOf("ts-000001") == TrackerTaskState.Open && pool.Tasks.LogOf("ts-000001").Count == 1, "the task put back with a log");
        await pool.ScheduleAsync();

        Assert.That(pool.Tasks.LogOf("ts-000001")[0].Message, Is.EqualTo("aetherflow: put back to open: gave up after 2 failed runs; last: exited with code 3"));
        Assert.That(pool.Agent("ts-000001").Activity, Is.EqualTo(AgentActivity.Exited));
        Assert.That(pool.Agent("ts-000001").ExitCode, Is.EqualTo(3));
        Assert.That(pool.Runtime.LaunchesOf("ts-000001"), Has.Count.EqualTo(2), "the given-up task is not restarted at once");
        Assert.That(pool.Decisions.Any(d => d.StartsWith("skip: ts-000001 is left alone until", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public async Task A_task_being_put_back_is_not_adopted_by_reclaim_meanwhile()
    {
        await using var pool = new PoolHarness(new PoolOptions { MaxRetries = 0 });
        pool.Tasks.Add("ts-000001");
        await pool.ScheduleAsync();
        var gate = new TaskCompletionSource();
        pool.Tasks.BeforeReopen = () => gate.Task.Wait(TimeSpan.FromSeconds(10));

        (await pool.UntilLaunchedAsync("ts-000001")).Exit(1);
        await pool.UntilAsync(() => pool.Tasks.Calls.Contains("reopen ts-000001"), "the put-back to start");
        await pool.ScheduleAsync();
        gate.SetResult();
        await pool.UntilAsync(() => pool.Tasks.StateOf("ts-000001") == TrackerTaskState.Open, "the task to be open");

        Assert.That(pool.Runtime.LaunchesOf("ts-000001"), Has.Count.EqualTo(1), "reclaim did not adopt the task while it was being put back");
    }

    [Test]
    public async Task Max_retries_zero_puts_the_task_back_after_the_first_failure()
    {
        await using var pool = new PoolHarness(new PoolOptions { MaxRetries = 0 });
        pool.Tasks.Add("ts-000001");
        await pool.ScheduleAsync();

        (await pool.UntilLaunchedAsync("ts-000001")).Exit(1);
        await pool.UntilAsync(() => pool.Tasks.StateOf("ts-000001") == TrackerTaskState.Open, "the task put back");

        Assert.That(pool.Runtime.LaunchesOf("ts-000001"), Has.Count.EqualTo(1));
        Assert.That(pool.Tasks.LogOf("ts-000001").Single().Message, Does.Contain("max_retries is 0"));
    }

    [Test]
    public async Task A_failed_claim_launches_nothing()
    {
        await using var pool = new PoolHarness();
        pool.Tasks.Add("ts-000001");
        pool.Tasks.Failures["claim"] = "database is locked";

        await pool.ScheduleAsync();
        await pool.UntilAgentAsync("ts-000001", AgentActivity.Exited);

        Assert.That(pool.Runtime.Launched, Is.Empty);
        Assert.That(pool.Decisions, Has.Some.EqualTo("skip: ts-000001 not started: claim failed: database is locked"));
    }

    [Test]
    public async Task A_launch_that_fails_after_the_claim_puts_the_task_back_open_with_the_reason()
    {
        await using var pool = new PoolHarness();
        pool.Tasks.Add("ts-000001");
        pool.Runtime.LaunchFailure = "opencode server is not running";

        await pool.ScheduleAsync();
        await pool.UntilAsync(() => pool.Tasks.StateOf("ts-000001") == TrackerTaskState.Open && pool.Tasks.LogOf("ts-000001").Count == 1, "claim compensated");

        Assert.That(pool.Tasks.Calls, Does.Contain("claim ts-000001").And.Contain("reopen ts-000001"));
        Assert.That(pool.Tasks.LogOf("ts-000001")[0].Message, Is.EqualTo("aetherflow: put back to open: could not start an agent: opencode server is not running"));
        Assert.That(pool.Pool.State.Agents.Count(a => a.Activity != AgentActivity.Exited), Is.Zero, "no slot is held");
    }

    [Test]
    public async Task A_prep_failure_claims_nothing_and_leaves_the_task_open()
    {
        await using var pool = new PoolHarness();
        pool.Tasks.Add("ts-000001");
        pool.Workspaces.Failure = "git worktree add failed: disk full";

        await pool.ScheduleAsync();
        await pool.UntilAgentAsync("ts-000001", AgentActivity.Exited);

        Assert.That(pool.Tasks.Calls, Has.None.StartWith("claim"));
        Assert.That(pool.Tasks.StateOf("ts-000001"), Is.EqualTo(TrackerTaskState.Open));
        Assert.That(pool.Decisions, Has.Some.EqualTo("skip: ts-000001 not started: prep failed: git worktree add failed: disk full"));
    }

    [Test]
    public async Task A_clean_exit_that_left_the_task_in_progress_counts_as_a_failure()
    {
        await using var pool = new PoolHarness();
        pool.Tasks.Add("ts-000001");
        await pool.ScheduleAsync();

        (await pool.UntilLaunchedAsync("ts-000001")).Exit(0);
        await pool.UntilAgentAsync("ts-000001", AgentActivity.BackingOff);

        Assert.That(pool.Agent("ts-000001").LastError, Is.EqualTo("exited cleanly but left its task in progress"));
    }

    [Test]
    public async Task An_agent_that_hands_its_task_back_frees_the_slot_and_the_task_cools_down()
    {
        await using var pool = new PoolHarness();
        pool.Tasks.Add("ts-000001");
        await pool.ScheduleAsync();
        var agent = await pool.UntilLaunchedAsync("ts-000001");

        pool.Tasks.SetState("ts-000001", TrackerTaskState.Open);
        agent.Exit(0);
        await pool.UntilAgentAsync("ts-000001", AgentActivity.Exited);
        await pool.ScheduleAsync();

        Assert.That(pool.Runtime.LaunchesOf("ts-000001"), Has.Count.EqualTo(1));
        await pool.AdvanceAsync(pool.Options.GiveUpCooldown + TimeSpan.FromSeconds(1));
        await pool.ScheduleAsync();
        await pool.UntilLaunchedAsync("ts-000001", 2);
    }

    [Test]
    public async Task Stopping_an_agent_puts_its_task_back_and_never_respawns_it()
    {
        await using var pool = new PoolHarness();
        pool.Tasks.Add("ts-000001");
        await pool.ScheduleAsync();
        var agent = await pool.UntilLaunchedAsync("ts-000001");

        await pool.Pool.StopAgentAsync(agent.Launch.AgentName, "dashboard", CancellationToken.None);
        await pool.UntilAsync(() => pool.Tasks.StateOf("ts-000001") == TrackerTaskState.Open && pool.Tasks.LogOf("ts-000001").Count == 1, "the task put back");
        await pool.AdvanceAsync(TimeSpan.FromMinutes(10));

        Assert.That(agent.StopCalls, Is.EqualTo(1));
        Assert.That(pool.Runtime.LaunchesOf("ts-000001"), Has.Count.EqualTo(1));
        Assert.That(pool.Tasks.LogOf("ts-000001")[0].Message, Is.EqualTo("aetherflow: put back to open: the agent was stopped by dashboard"));
    }

    [Test]
    public async Task Stopping_an_unknown_agent_says_so()
    {
        await using var pool = new PoolHarness();

        var error = await Assert.ThrowsAsync<KeyNotFoundException>(() => pool.Pool.StopAgentAsync("nobody_here", "cli", CancellationToken.None));

        Assert.That(error!.Message, Is.EqualTo("no running agent is named 'nobody_here'"));
    }

    [Test]
    public async Task Draining_schedules_nothing_new_but_still_respawns_crashes()
    {
        await using var pool = new PoolHarness();
        pool.Tasks.Add("ts-000001");
        await pool.ScheduleAsync();
        var agent = await pool.UntilLaunchedAsync("ts-000001");
        await pool.Pool.SetModeAsync(PoolMode.Draining, CancellationToken.None);
        pool.Tasks.Add("ts-000002");

        await pool.ScheduleAsync();
        agent.Exit(1);
        await pool.UntilAgentAsync("ts-000001", AgentActivity.BackingOff);
        await pool.AdvanceAsync(TimeSpan.FromSeconds(5));
        await pool.UntilLaunchedAsync("ts-000001", 2);

        Assert.That(pool.Runtime.LaunchesOf("ts-000002"), Is.Empty);
        Assert.That(pool.Decisions, Has.Some.EqualTo("skip: 1 ready task not started: the pool is draining"));
    }

    [Test]
    public async Task Paused_holds_respawns_until_resumed()
    {
        await using var pool = new PoolHarness();
        pool.Tasks.Add("ts-000001");
        await pool.ScheduleAsync();
        var agent = await pool.UntilLaunchedAsync("ts-000001");
        await pool.Pool.SetModeAsync(PoolMode.Paused, CancellationToken.None);

        agent.Exit(1);
        await pool.UntilAgentAsync("ts-000001", AgentActivity.BackingOff);
        await pool.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.That(pool.Runtime.LaunchesOf("ts-000001"), Has.Count.EqualTo(1), "paused does not respawn");
        Assert.That(pool.Decisions, Has.Some.Contains("respawn held; the pool is paused"));

        await pool.Pool.SetModeAsync(PoolMode.Active, CancellationToken.None);
        await pool.UntilLaunchedAsync("ts-000001", 2);
    }

    [Test]
    public async Task Paused_schedules_nothing()
    {
        await using var pool = new PoolHarness();
        await pool.Pool.SetModeAsync(PoolMode.Paused, CancellationToken.None);
        pool.Tasks.Add("ts-000001");

        await pool.ScheduleAsync();

        Assert.That(pool.Runtime.Launched, Is.Empty);
        Assert.That(pool.Decisions, Has.Some.EqualTo("skip: 1 ready task not started: the pool is paused"));
    }

    [Test]
    public async Task Resuming_lets_the_next_pass_schedule()
    {
        await using var pool = new PoolHarness();
        await pool.Pool.SetModeAsync(PoolMode.Draining, CancellationToken.None);
        pool.Tasks.Add("ts-000001");
        await pool.ScheduleAsync();

        await pool.Pool.SetModeAsync(PoolMode.Active, CancellationToken.None);
        await pool.ScheduleAsync();

        await pool.UntilLaunchedAsync("ts-000001");
        Assert.That(pool.Decisions, Has.Some.EqualTo("mode: pool draining → active"));
    }

    [Test]
    public async Task The_liveness_sweep_frees_a_vanished_agent_and_its_late_exit_is_ignored()
    {
        await using var pool = new PoolHarness(new PoolOptions { LivenessInterval = TimeSpan.FromSeconds(30), RetryBackoff = TimeSpan.FromSeconds(1) });
        pool.Tasks.Add("ts-000001");
        await pool.ScheduleAsync();
        var agent = await pool.UntilLaunchedAsync("ts-000001");

        agent.Alive = false;
        await pool.AdvanceAsync(TimeSpan.FromSeconds(30));
        await pool.UntilAsync(() => agent.AliveProbes > 0, "the liveness sweep to probe the agent");
        await pool.AdvanceUntilAsync(() => pool.Decisions.Any(d => d.Contains("the agent vanished", StringComparison.Ordinal)), "the agent to be judged vanished after the grace", TimeSpan.FromSeconds(1));
        agent.Exit(137);
        await pool.AdvanceAsync(TimeSpan.FromSeconds(1));
        await pool.UntilLaunchedAsync("ts-000001", 2);
        await pool.AdvanceAsync(TimeSpan.FromSeconds(10));

        Assert.That(pool.Runtime.LaunchesOf("ts-000001"), Has.Count.EqualTo(2), "the late exit of the vanished agent does not cause a second respawn");
        Assert.That(pool.Decisions, Has.Some.Contains("the agent vanished (its process is gone)"));
    }

    [Test]
    public async Task An_agent_found_gone_whose_exit_is_reported_within_the_grace_keeps_its_exit_code()
    {
        await using var pool = new PoolHarness(new PoolOptions { LivenessInterval = TimeSpan.FromSeconds(30), RetryBackoff = TimeSpan.FromMinutes(10) });
        pool.Tasks.Add("ts-000001");
        await pool.ScheduleAsync();
        var agent = await pool.UntilLaunchedAsync("ts-000001");

        // The process is reaped (the probe says gone) before the runtime has set the agent's completion.
        agent.Alive = false;
        await pool.AdvanceAsync(TimeSpan.FromSeconds(30));
        await pool.UntilAsync(() => agent.AliveProbes > 0, "the liveness sweep to probe the agent");
        agent.Exit(3);
        await pool.UntilAgentAsync("ts-000001", AgentActivity.BackingOff);
        await pool.AdvanceAsync(TimeSpan.FromSeconds(10));

        Assert.That(pool.Agent("ts-000001").ExitCode, Is.EqualTo(3), "the real exit code, not the sweep's guess");
        Assert.That(pool.Decisions, Has.None.Contains("vanished"));
    }

    [Test]
    public async Task An_orphaned_in_progress_task_is_adopted_without_a_new_claim_and_resumes_its_session()
    {
        await using var pool = new PoolHarness();
        pool.Tasks.Add("ts-000001", state: TrackerTaskState.InProgress);
        pool.Sessions.ByWork["ts-000001"] = "ses_previous";

        await pool.ScheduleAsync();
        var agent = await pool.UntilLaunchedAsync("ts-000001");

        Assert.That(agent.Launch.ResumeSessionId, Is.EqualTo("ses_previous"));
        Assert.That(pool.Tasks.Calls, Has.None.StartWith("claim"));
        Assert.That(pool.Decisions, Has.Some.Contains("adopts ts-000001: in progress with no live agent"));
    }

    [Test]
    public async Task Reclaim_is_periodic_and_waits_for_a_free_slot()
    {
        await using var pool = new PoolHarness(new PoolOptions { PoolSize = 1 });
        pool.Tasks.Add("ts-000001");
        await pool.ScheduleAsync();
        var busy = await pool.UntilLaunchedAsync("ts-000001");
        pool.Tasks.Add("ts-000002", state: TrackerTaskState.InProgress);

        await pool.ScheduleAsync();
        Assert.That(pool.Runtime.LaunchesOf("ts-000002"), Is.Empty);
        Assert.That(pool.Decisions, Has.Some.EqualTo("skip: ts-000002 is in progress with no agent; it waits for a free slot (pool 1/1)"));

        pool.Tasks.SetState("ts-000001", TrackerTaskState.Reviewing);
        busy.Exit(0);
        await pool.UntilAgentAsync("ts-000001", AgentActivity.Exited);
        await pool.ScheduleAsync();
        await pool.UntilLaunchedAsync("ts-000002");
    }

    [Test]
    public async Task Reclaim_is_skipped_while_paused()
    {
        await using var pool = new PoolHarness();
        await pool.Pool.SetModeAsync(PoolMode.Paused, CancellationToken.None);
        pool.Tasks.Add("ts-000001", state: TrackerTaskState.InProgress);

        await pool.ScheduleAsync();

        Assert.That(pool.Runtime.Launched, Is.Empty);
    }

    [Test]
    public async Task A_spawned_agent_takes_no_slot()
    {
        await using var pool = new PoolHarness(new PoolOptions { PoolSize = 1 });
        pool.Tasks.Add("ts-000001");

        AgentInfo spawned = await pool.Pool.SpawnAsync(new SpawnRequest { Prompt = "Refactor the config\nin detail", RequestedBy = "cli" }, CancellationToken.None);
        await pool.ScheduleAsync();
        await pool.UntilLaunchedAsync("ts-000001");
        var spawnAgent = await pool.UntilLaunchedAsync(spawned.TaskId!);

        Assert.That(spawned.TaskId, Does.Match("^spawn-[a-z]+_[a-z]+-[0-9a-f]{6}$"));
        Assert.That(spawned.Origin, Is.EqualTo(AgentOrigin.Spawn));
        Assert.That(spawnAgent.Launch.Prompt, Is.EqualTo($"spawn prompt {spawned.TaskId}: Refactor the config\nin detail"));
        Assert.That(pool.Agent(spawned.TaskId!).Title, Is.EqualTo("Refactor the config"));
    }

    [Test]
    public async Task An_agent_shows_as_exited_only_together_with_its_exit_code()
    {
        await using var pool = new PoolHarness();
        AgentInfo spawned = await pool.Pool.SpawnAsync(new SpawnRequest { Prompt = "Say hello", RequestedBy = "cli" }, CancellationToken.None);
        var agent = await pool.UntilLaunchedAsync(spawned.TaskId!);

        // A runtime reports the process gone before the pool has read its outcome (the command runtime does).
        agent.Report(AgentActivity.Exited);
        await pool.ScheduleAsync();
        AgentInfo before = pool.Agent(spawned.TaskId!);
        agent.Exit(0);
        await pool.UntilAgentAsync(spawned.TaskId!, AgentActivity.Exited);

        Assert.That(before.Activity, Is.Not.EqualTo(AgentActivity.Exited), "no exit without its code");
        Assert.That(pool.Agent(spawned.TaskId!).ExitCode, Is.Zero);
    }

    [Test]
    public async Task An_agent_that_ended_before_its_launch_was_recorded_shows_as_exited_only_with_its_exit_code()
    {
        await using var pool = new PoolHarness();
        pool.Runtime.ExitedAtStart = true;
        var published = new List<AgentInfo>();
        pool.Pool.StateChanged += (_, state) =>
        {
            lock (published)
            {
                published.AddRange(state.Agents);
            }
        };

        AgentInfo spawned = await pool.Pool.SpawnAsync(new SpawnRequest { Prompt = "Say hello", RequestedBy = "cli" }, CancellationToken.None);
        await pool.UntilAsync(() => pool.Runtime.Launched.Count == 1, "the launch");
        pool.Runtime.Launched[0].Exit(0);
        await pool.UntilAsync(() => Published().Any(a => a.ExitCode == 0), "the exit to be published");

        Assert.That(Published().Where(a => a.Activity == AgentActivity.Exited).Select(a => a.ExitCode), Has.All.EqualTo(0), "no exit without its code");

        AgentInfo[] Published()
        {
            lock (published)
            {
                return [.. published];
            }
        }
    }

    [Test]
    public async Task An_empty_spawn_prompt_is_refused()
    {
        await using var pool = new PoolHarness();

        var error = Assert.ThrowsAsync<ArgumentException>(() => pool.Pool.SpawnAsync(new SpawnRequest { Prompt = "  " }, CancellationToken.None));

        Assert.That((await error)!.Message, Does.StartWith("the spawn prompt is empty"));
    }

    [Test]
    public async Task A_hung_agent_is_stopped_and_respawned_when_hang_action_is_stop()
    {
        await using var pool = new PoolHarness(new PoolOptions { HangAction = "stop", RetryBackoff = TimeSpan.FromSeconds(1) });
        pool.Tasks.Add("ts-000001");
        await pool.ScheduleAsync();
        var agent = await pool.UntilLaunchedAsync("ts-000001");

        agent.Report(AgentActivity.Hung);
        await pool.UntilAsync(() => agent.StopCalls == 1, "the hung agent to be stopped");
        await pool.UntilAgentAsync("ts-000001", AgentActivity.BackingOff);
        await pool.AdvanceAsync(TimeSpan.FromSeconds(1));
        await pool.UntilLaunchedAsync("ts-000001", 2);

        Assert.That(pool.Decisions, Has.Some.Contains("is hung (no events); stopping it to respawn"));
    }

    [Test]
    public async Task A_hung_agent_is_nudged_when_hang_action_is_steer()
    {
        await using var pool = new PoolHarness(new PoolOptions { HangAction = "steer" });
        pool.Tasks.Add("ts-000001");
        await pool.ScheduleAsync();
        var agent = await pool.UntilLaunchedAsync("ts-000001");

        agent.Report(AgentActivity.Hung);
        await pool.UntilAsync(() => agent.Steers.Count == 1, "a steer message");

        Assert.That(agent.Steers[0], Does.StartWith("aetherflow (hang detection): "));
        Assert.That(agent.StopCalls, Is.Zero);
    }

    [Test]
    public async Task A_steer_is_on_record_when_the_call_returns()
    {
        await using var pool = new PoolHarness();
        pool.Tasks.Add("ts-000001");
        await pool.ScheduleAsync();
        var agent = await pool.UntilLaunchedAsync("ts-000001");

        await pool.Pool.SteerAgentAsync(agent.Launch.AgentName, "use the new API", "ana", CancellationToken.None);

        Assert.That(agent.Steers, Has.Count.EqualTo(1));
        Assert.That(pool.Decisions, Has.Some.EqualTo($"steer: {agent.Launch.AgentName} steered by ana: use the new API"));
    }

    [Test]
    public async Task Decisions_not_to_act_are_recorded_once_until_they_change()
    {
        await using var pool = new PoolHarness(new PoolOptions { PoolSize = 1 });
        pool.Tasks.Add("ts-000001");
        pool.Tasks.Add("ts-000002");

        await pool.ScheduleAsync();
        await pool.UntilLaunchedAsync("ts-000001");
        await pool.ScheduleAsync();
        await pool.ScheduleAsync();

        Assert.That(pool.Decisions.Count(d => d == "skip: 1 ready task wait: pool full (1/1)"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_tracker_failure_becomes_a_warning_and_clears_when_it_recovers()
    {
        await using var pool = new PoolHarness();
        pool.Tasks.Failures["ready"] = "prog: database is locked";

        await pool.ScheduleAsync();
        Assert.That(pool.Pool.State.Warnings, Is.EqualTo(new[] { "tracker (fake) unavailable: prog: database is locked" }));

        pool.Tasks.Failures.Clear();
        await pool.ScheduleAsync();
        Assert.That(pool.Pool.State.Warnings, Is.Empty);
    }
}
