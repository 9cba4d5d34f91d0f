using Aetherflow.Engine.Hosting;
using Aetherflow.Engine.Tasks;
using Aetherflow.Engine.Tasks.Prog;
using Aetherflow.Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Aetherflow.Engine.Tests.Tasks.Prog;

/// <summary>How the prog task source reports prog's failures: one line that names the command and says what to do.</summary>
public sealed class ProgTaskSourceFailureTests : ProgStandInFixture
{
    [Test]
    public async Task An_unknown_id_is_task_not_found_for_every_command()
    {
        var source = new ProgTaskSource(Prog.Options());
        const string id = "ts-000000";

        var show = await Assert.ThrowsAsync<TaskNotFoundException>(() => source.GetAsync(id, CancellationToken.None));
        var start = await Assert.ThrowsAsync<TaskNotFoundException>(() => source.ClaimAsync(id, CancellationToken.None));
        var open = await Assert.ThrowsAsync<TaskNotFoundException>(() => source.ReopenAsync(id, CancellationToken.None));
        var done = await Assert.ThrowsAsync<TaskNotFoundException>(() => source.MarkDoneAsync(id, CancellationToken.None));
        var log = await Assert.ThrowsAsync<TaskNotFoundException>(() => source.AppendLogAsync(id, "hello", CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(start!.Message, Is.EqualTo($"prog start {id} failed: item not found: {id} (use 'prog list' to see available items)"));
            Assert.That(show!.Message, Does.StartWith($"prog show {id} failed: item not found: {id}"));
            Assert.That(open!.Message, Does.StartWith($"prog open {id} failed: item not found"));
            Assert.That(done!.Message, Does.StartWith($"prog done {id} failed: item not found"));
            Assert.That(log!.Message, Is.EqualTo($"prog log {id} failed: failed to add log: FOREIGN KEY constraint failed"));
            Assert.That(new[] { show, start, open, done, log }.Select(e => e!.TaskId), Is.All.EqualTo(id));
        });
    }

    [Test]
    public async Task A_failing_command_reports_the_first_stderr_line_without_the_usage_block()
    {
        string epic = await Prog.AddAsync("Epic", "demo", "-e");
        var source = new ProgTaskSource(Prog.Options());

        var error = await Assert.ThrowsAsync<TaskSourceException>(() => source.ClaimAsync(epic, CancellationToken.None));

        Assert.That(error, Is.Not.TypeOf<TaskNotFoundException>());
        Assert.That(error!.Message, Is.EqualTo(
            $"prog start {epic} failed: epic status is derived from children; only 'done' and 'canceled' can be set manually (to force-close)"));
    }

    [Test]
    public async Task An_uninitialised_database_says_to_run_prog_init_with_its_path()
    {
        var fresh = new ProgStandIn(Home, "never-initialised.db");
        var source = new ProgTaskSource(fresh.Options());

        var error = await Assert.ThrowsAsync<TaskSourceException>(() => source.ListReadyAsync(CancellationToken.None));

        Assert.That(error!.Message, Does.StartWith(
            $"prog's database {fresh.DatabasePath} is not initialised: run 'PROG_DB={fresh.DatabasePath} prog init' once"));
        Assert.That(error.Message, Does.Contain("no such table: items").And.Not.Contain("\n"));
    }

    [Test]
    public async Task A_missing_prog_executable_gives_one_line_saying_how_to_switch_to_the_builtin_source()
    {
        var source = new ProgTaskSource(Prog.Options() with { Executable = Path.Combine(Home.Root, "no-such-prog") });

        var error = await Assert.ThrowsAsync<TaskSourceException>(() => source.ListReadyAsync(CancellationToken.None));

        Assert.That(error!.Message, Does.StartWith("prog is not installed or not on PATH"));
        Assert.That(error.Message, Does.Contain("no-such-prog").And.Contain("task_source: builtin").And.Not.Contain("\n"));
    }

    [Test]
    public async Task A_prog_name_is_looked_up_on_the_engine_PATH_not_the_process_PATH()
    {
        string emptyBin = Directory.CreateDirectory(Path.Combine(Home.Root, "empty-bin")).FullName;
        var variables = new Dictionary<string, string>(Prog.Variables) { ["PATH"] = emptyBin };
        var source = new ProgTaskSource(Prog.Options() with { Executable = "prog", Environment = new HostEnvironment(variables) });

        var error = await Assert.ThrowsAsync<TaskSourceException>(() => source.ClaimAsync("ts-123456", CancellationToken.None));

        Assert.That(error!.Message, Does.StartWith("prog is not installed or not on PATH ('prog' was not found)"));
    }

    [Test]
    public async Task A_prog_name_on_the_engine_PATH_is_found()
    {
        string bin = Directory.CreateDirectory(Path.Combine(Home.Root, "bin")).FullName;
        File.CreateSymbolicLink(Path.Combine(bin, "prog"), ProgStandIn.ExecutablePath);
        string task = await Prog.AddAsync("Found", "demo");
        var variables = new Dictionary<string, string>(Prog.Variables) { ["PATH"] = bin + ":" + Prog.Variables["PATH"] };
        var source = new ProgTaskSource(Prog.Options() with { Executable = "prog", Environment = new HostEnvironment(variables) });

        IReadOnlyList<TrackerTask> ready = await source.ListReadyAsync(CancellationToken.None);

        Assert.That(ready.Select(t => t.Id), Is.EqualTo(new[] { task }));
    }

    [TestCase("--exec=evil")]
    [TestCase("../../etc/passwd")]
    [TestCase("ts-1 ts-2")]
    [TestCase("")]
    [TestCase("-p")]
    public async Task An_invalid_task_id_is_refused_before_prog_runs(string taskId)
    {
        string argvLog = Path.Combine(Home.Root, "argv.log");
        Prog.Variables["PROG_STANDIN_ARGV_LOG"] = argvLog;
        var source = new ProgTaskSource(Prog.Options());

        var calls = new Func<Task>[]
        {
            () => source.GetAsync(taskId, CancellationToken.None),
            () => source.ClaimAsync(taskId, CancellationToken.None),
            () => source.ReopenAsync(taskId, CancellationToken.None),
            () => source.MarkDoneAsync(taskId, CancellationToken.None),
            () => source.AppendLogAsync(taskId, "note", CancellationToken.None),
        };

        foreach (Func<Task> call in calls)
        {
            var error = await Assert.ThrowsAsync<TaskSourceException>(() => call());
            Assert.That(error!.Message, Does.Contain("is not a valid task id"));
        }

        Assert.That(File.Exists(argvLog), Is.False, "prog was never started");
    }

    [Test]
    public async Task An_empty_log_message_is_refused()
    {
        string task = await Prog.AddAsync("Task", "demo");
        var source = new ProgTaskSource(Prog.Options());

        var error = await Assert.ThrowsAsync<TaskSourceException>(() => source.AppendLogAsync(task, string.Empty, CancellationToken.None));

        Assert.That(error!.Message, Does.StartWith($"cannot log to {task}"));
    }

    [Test]
    public async Task A_call_that_outlives_its_timeout_is_killed_and_says_so()
    {
        string argvLog = Path.Combine(Home.Root, "argv.log");
        Prog.Variables["PROG_STANDIN_ARGV_LOG"] = argvLog;
        Prog.Variables["PROG_STANDIN_DELAY_SECONDS"] = "60";
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var source = new ProgTaskSource(Prog.Options() with { TimeProvider = time, Timeout = TimeSpan.FromSeconds(10) });

        Task<IReadOnlyList<TrackerTask>> call = source.ListReadyAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => File.Exists(argvLog), "the stand-in to start");
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.That(call.IsCompleted, Is.False, "not before the timeout");
        time.Advance(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<TaskSourceException>(async () => await Eventually.WithinAsync(call, "the timed-out call to end"));
        Assert.That(error!.Message, Is.EqualTo("prog ready -p demo --json timed out after 10s and was stopped; check that prog answers from a shell"));
    }

    [Test]
    public async Task The_callers_cancellation_stops_the_call_and_is_not_reported_as_a_timeout()
    {
        string argvLog = Path.Combine(Home.Root, "argv.log");
        Prog.Variables["PROG_STANDIN_ARGV_LOG"] = argvLog;
        Prog.Variables["PROG_STANDIN_DELAY_SECONDS"] = "60";
        var source = new ProgTaskSource(Prog.Options());
        using var cancel = new CancellationTokenSource();

        Task<IReadOnlyList<TrackerTask>> call = source.ListReadyAsync(cancel.Token);
        await Eventually.TrueAsync(() => File.Exists(argvLog), "the stand-in to start");
        await cancel.CancelAsync();

        await Assert.CatchAsync<OperationCanceledException>(async () => await Eventually.WithinAsync(call, "the canceled call to end"));
    }

    [Test]
    public async Task A_locked_database_is_retried_until_it_works()
    {
        string argvLog = Path.Combine(Home.Root, "argv.log");
        string task = await Prog.AddAsync("Locked", "demo");
        Prog.Variables["PROG_STANDIN_ARGV_LOG"] = argvLog;
        Prog.Variables["PROG_STANDIN_LOCKED_TIMES"] = "2";
        var source = new ProgTaskSource(Prog.Options() with { LockedRetries = 3, LockedRetryDelay = TimeSpan.Zero });

        await source.ClaimAsync(task, CancellationToken.None);

        Assert.That(File.ReadAllLines(argvLog), Has.Length.EqualTo(3), "two locked attempts and one that worked");
        Prog.Variables.Remove("PROG_STANDIN_LOCKED_TIMES");
        Assert.That((await source.GetAsync(task, CancellationToken.None)).State, Is.EqualTo(TrackerTaskState.InProgress));
    }

    [Test]
    public async Task A_database_that_stays_locked_fails_after_the_retries()
    {
        string argvLog = Path.Combine(Home.Root, "argv.log");
        string task = await Prog.AddAsync("Locked", "demo");
        Prog.Variables["PROG_STANDIN_ARGV_LOG"] = argvLog;
        Prog.Variables["PROG_STANDIN_LOCKED_TIMES"] = "100";
        var source = new ProgTaskSource(Prog.Options() with { LockedRetries = 2, LockedRetryDelay = TimeSpan.Zero });

        var error = await Assert.ThrowsAsync<TaskSourceException>(() => source.MarkDoneAsync(task, CancellationToken.None));

        Assert.That(error!.Message, Is.EqualTo($"prog done {task} failed: database is locked (5) (SQLITE_BUSY) (still locked after 3 attempts)"));
        Assert.That(File.ReadAllLines(argvLog), Has.Length.EqualTo(3));
    }

    [Test]
    public async Task The_locked_backoff_waits_on_the_engine_clock()
    {
        string argvLog = Path.Combine(Home.Root, "argv.log");
        string task = await Prog.AddAsync("Locked", "demo");
        Prog.Variables["PROG_STANDIN_ARGV_LOG"] = argvLog;
        Prog.Variables["PROG_STANDIN_LOCKED_TIMES"] = "1";
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var source = new ProgTaskSource(Prog.Options() with
        {
            TimeProvider = time,
            LockedRetryDelay = TimeSpan.FromHours(1),
            Timeout = TimeSpan.FromHours(24), // the clock below races ahead; only the backoff may expire
        });

        Task claim = source.ClaimAsync(task, CancellationToken.None);

        // Only the fake clock can end an hour's backoff within the deadline.
        await Eventually.TrueAsync(
            () =>
            {
                if (File.Exists(argvLog) && File.ReadAllLines(argvLog).Length >= 2)
                {
                    return true;
                }

                time.Advance(TimeSpan.FromMinutes(30));
                return false;
            },
            "the retry after the backoff");
        await claim.WaitAsync(Eventually.DefaultTimeout);
        Prog.Variables.Remove("PROG_STANDIN_LOCKED_TIMES");
        Assert.That((await source.GetAsync(task, CancellationToken.None)).State, Is.EqualTo(TrackerTaskState.InProgress));
    }

    [Test]
    public void Options_are_validated_when_the_source_is_made()
    {
        Assert.Throws<ArgumentException>(() => new ProgTaskSource(Prog.Options("../escape")));
        Assert.Throws<ArgumentException>(() => new ProgTaskSource(Prog.Options() with { Executable = " " }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProgTaskSource(Prog.Options() with { Timeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProgTaskSource(Prog.Options() with { Timeout = TimeSpan.FromDays(2) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProgTaskSource(Prog.Options() with { MaxConcurrentCalls = 0 }));
    }
}
