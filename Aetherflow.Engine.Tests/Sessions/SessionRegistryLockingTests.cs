using System.Text.Json;
using Aetherflow.Engine.Sessions;
using Aetherflow.Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Aetherflow.Engine.Tests.Sessions;

/// <summary>
/// The registry's flock protocol against real separate processes: python3 scripts that lock
/// <c>sessions.json.lock</c> with <c>fcntl.flock</c> and replace the file with temp + rename, as the Go tool does.
/// </summary>
[NonParallelizable]
public sealed class SessionRegistryLockingTests
{
    /// <summary>Read-modify-write under a blocking flock, like the original tool; adds one record per round.</summary>
    private const string Writer = """
        import fcntl, json, os, random, sys, tempfile, time
        folder, name, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
        path = os.path.join(folder, "sessions.json")
        sys.stdin.readline()
        seen_dotnet = 0
        for i in range(rounds):
            fd = os.open(path + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                try:
                    with open(path) as f:
                        doc = json.load(f)
                except FileNotFoundError:
                    doc = {"schema_version": 1, "records": []}
                seen_dotnet = max(seen_dotnet, sum(1 for r in doc["records"] if r["server_ref"] == "dotnet"))
                now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
                doc["records"].append({"server_ref": "python", "session_id": f"{name}-{i}", "work_ref": f"{name}-task",
                                       "status": "active", "created_at": now, "last_seen_at": now, "updated_at": now,
                                       "written_by": name})
                tmp_fd, tmp = tempfile.mkstemp(prefix=".sessions-", suffix=".json", dir=folder)
                with os.fdopen(tmp_fd, "w") as tmp_file:
                    json.dump(doc, tmp_file, indent=2)
                    tmp_file.flush()
                    os.fsync(tmp_file.fileno())
                os.replace(tmp, path)
            finally:
                os.close(fd)
            time.sleep(random.random() * 0.002)
        print(json.dumps({"seen_dotnet": seen_dotnet}), flush=True)
        """;

    /// <summary>Takes the lock and holds it until told; "write" adds a record while still holding it.</summary>
    private const string Holder = """
        import fcntl, json, os, sys
        folder = sys.argv[1]
        path = os.path.join(folder, "sessions.json")
        fd = os.open(path + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        print("locked", flush=True)
        if sys.stdin.readline().strip() == "write":
            try:
                with open(path) as f:
                    doc = json.load(f)
            except FileNotFoundError:
                doc = {"schema_version": 1, "records": []}
            doc["records"].append({"server_ref": "python", "session_id": "held", "status": "idle",
                                   "created_at": "2026-05-01T09:00:00Z", "last_seen_at": "2026-05-01T09:00:00Z",
                                   "updated_at": "2026-05-01T09:00:00Z"})
            with open(path + ".tmp-py", "w") as f:
                json.dump(doc, f)
                f.flush()
                os.fsync(f.fileno())
            os.replace(path + ".tmp-py", path)
        fcntl.flock(fd, fcntl.LOCK_UN)
        print("released", flush=True)
        """;

    private TempDirectory root = null!;

    private string Folder => root.Combine("sessions");

    [SetUp]
    public void SetUp()
    {
        root = new TempDirectory("afsess");
        Directory.CreateDirectory(Folder);
    }

    [TearDown]
    public void TearDown() => root.Dispose();

    [Test]
    public async Task Two_python_processes_and_two_registries_writing_at_once_lose_no_record_and_never_corrupt_the_file()
    {
        const int Rounds = 80;
        var options = new SessionRegistryOptions { Directory = Folder, LockTimeout = TimeSpan.FromMinutes(2) };
        var logger = new RecordingLogger<SessionRegistry>();
        SessionRegistry first = new(options, null, TimeProvider.System, logger);
        SessionRegistry second = new(options, null, TimeProvider.System, logger);
        await first.UpsertAsync(new SessionUpsert { ServerRef = "warmup", SessionId = "w1" }, CancellationToken.None);
        await using PythonProcess pyA = PythonProcess.Start(Writer, Folder, "pyA", Rounds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await using PythonProcess pyB = PythonProcess.Start(Writer, Folder, "pyB", Rounds.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Task dotnetA = Task.Run(() => WriteAsync(first, "netA", Rounds));
        Task dotnetB = Task.Run(() => WriteAsync(second, "netB", Rounds));
        await pyA.WriteLineAsync("go");
        await pyB.WriteLineAsync("go");
        await Eventually.WithinAsync(Task.WhenAll(dotnetA, dotnetB).ContinueWith(_ => 0, TaskScheduler.Default), "the .NET writers", TimeSpan.FromMinutes(3));
        await Task.WhenAll(dotnetA, dotnetB);
        string reportA = await pyA.ReadLineAsync("writer A's report");
        string reportB = await pyB.ReadLineAsync("writer B's report");
        int exitA = await pyA.ExitAsync(TimeSpan.FromMinutes(1));
        int exitB = await pyB.ExitAsync(TimeSpan.FromMinutes(1));

        string text = await File.ReadAllTextAsync(Path.Combine(Folder, "sessions.json"));
        using JsonDocument file = JsonDocument.Parse(text);
        var records = file.RootElement.GetProperty("records").EnumerateArray().ToList();
        var ids = records.Select(r => r.GetProperty("session_id").GetString()).ToList();
        var expected = new[] { "pyA", "pyB", "netA", "netB" }.SelectMany(w => Enumerable.Range(0, Rounds).Select(i => $"{w}-{i}")).Append("w1");
        int seenByPython = new[] { reportA, reportB }.Max(r => JsonDocument.Parse(r).RootElement.GetProperty("seen_dotnet").GetInt32());
        Assert.Multiple(() =>
        {
            Assert.That(exitA, Is.Zero, "python writer A read an invalid file at some point");
            Assert.That(exitB, Is.Zero, "python writer B read an invalid file at some point");
            Assert.That(ids, Is.EquivalentTo(expected), "every record from every writer, once");
            Assert.That(file.RootElement.GetProperty("schema_version").GetInt32(), Is.EqualTo(1));
            Assert.That(
                records.Where(r => r.GetProperty("server_ref").GetString() == "python").Select(r => r.GetProperty("written_by").GetString()),
                Has.All.Not.Null,
                "fields .NET does not know survive its rewrites");
            Assert.That(seenByPython, Is.GreaterThan(0), "the writers really interleaved");
            Assert.That(Directory.GetFiles(Folder, "sessions.json.corrupt-*"), Is.Empty);
            Assert.That(Directory.GetFiles(Folder, ".sessions-*"), Is.Empty, "no temporary file is left behind");
            Assert.That(logger.Warnings, Is.Empty);
        });
    }

    [Test]
    public async Task A_write_waits_while_another_process_holds_the_lock_and_then_keeps_that_process_s_record()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero));
        var logger = new RecordingLogger<SessionRegistry>();
        SessionRegistry registry = new(new SessionRegistryOptions { Directory = Folder }, null, time, logger);
        await using PythonProcess holder = PythonProcess.Start(Holder, Folder);
        Assert.That(await holder.ReadLineAsync("the lock"), Is.EqualTo("locked"));

        Task<SessionRecord> upsert = registry.UpsertAsync(new SessionUpsert { ServerRef = "dotnet", SessionId = "waited" }, CancellationToken.None);
        await Eventually.TrueAsync(() => logger.Contains("is held by another process"), "the registry to find the lock taken");
        bool finishedWhileHeld = upsert.IsCompleted;
        await holder.WriteLineAsync("write");
        Assert.That(await holder.ReadLineAsync("the release"), Is.EqualTo("released"));
        await Eventually.TrueAsync(() => Step(time, upsert), "the upsert to finish once the lock is free");
        await upsert;

        IReadOnlyList<SessionRecord> records = await registry.ListAsync(CancellationToken.None);
        Assert.That(finishedWhileHeld, Is.False);
        Assert.That(records.Select(r => r.SessionId), Is.EquivalentTo(new[] { "held", "waited" }), "the write read the file only after the holder's change");
    }

    [Test]
    public async Task A_lock_held_longer_than_the_timeout_fails_the_operation_with_a_clear_error()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero));
        var logger = new RecordingLogger<SessionRegistry>();
        SessionRegistry registry = new(new SessionRegistryOptions { Directory = Folder, LockTimeout = TimeSpan.FromSeconds(2) }, null, time, logger);
        await using PythonProcess holder = PythonProcess.Start(Holder, Folder);
        Assert.That(await holder.ReadLineAsync("the lock"), Is.EqualTo("locked"));

        Task<SessionRecord> upsert = registry.UpsertAsync(new SessionUpsert { ServerRef = "dotnet", SessionId = "impatient" }, CancellationToken.None);
        await Eventually.TrueAsync(() => logger.Contains("is held by another process"), "the registry to find the lock taken");
        for (int i = 0; i < 19; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
        }

        bool finishedEarly = upsert.IsCompleted;
        await Eventually.TrueAsync(() => Step(time, upsert), "the upsert to give up");
        var error = await Assert.ThrowsAsync<SessionRegistryException>(() => upsert);
        await holder.WriteLineAsync("release");

        Assert.That(finishedEarly, Is.False, "it gave up before the timeout");
        Assert.That(error!.Message, Does.Contain(registry.LockPath).And.Contain("2s").And.Not.Contain("\n"));
        Assert.That(File.Exists(registry.FilePath), Is.False, "nothing was written without the lock");
    }

    private static async Task WriteAsync(SessionRegistry registry, string name, int rounds)
    {
        for (int i = 0; i < rounds; i++)
        {
            await registry.UpsertAsync(
                new SessionUpsert { ServerRef = "dotnet", SessionId = $"{name}-{i}", WorkRef = $"{name}-task", OriginType = SessionOrigin.Spawn },
                CancellationToken.None);
        }
    }

    /// <summary>Moves the fake clock on by one retry pause and says whether <paramref name="task"/> has finished.</summary>
    private static bool Step(FakeTimeProvider time, Task task)
    {
        if (!task.IsCompleted)
        {
            time.Advance(TimeSpan.FromMilliseconds(25));
        }

        return task.IsCompleted;
    }
}
