using System.Text.Json;
using Aetherflow.Engine.Sessions;
using Aetherflow.Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Aetherflow.Engine.Tests.Sessions;

/// <summary>A <c>sessions.json</c> that is not a registry is moved aside and rebuilt; no operation fails because of it.</summary>
public sealed class SessionRegistryRecoveryTests
{
    private static readonly DateTimeOffset Start = new(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);
    private TempDirectory root = null!;
    private FakeTimeProvider time = null!;
    private RecordingLogger<SessionRegistry> logger = null!;
    private FakeSessionInventory inventory = null!;

    private string Folder => root.Combine("sessions");

    private string FilePath => Path.Combine(Folder, "sessions.json");

    [SetUp]
    public void SetUp()
    {
        root = new TempDirectory("afsess");
        time = new FakeTimeProvider(Start);
        logger = new RecordingLogger<SessionRegistry>();
        inventory = new FakeSessionInventory()
            .Add("http://127.0.0.1:4096", "ses_busy", busy: true, directory: "/work/wt/t1", metadata: new()
            {
                ["af_agent"] = "ghost_wolf", ["af_task"] = "ts-1", ["af_origin"] = "pool", ["af_project"] = "demo",
            })
            .Add("http://127.0.0.1:4096", "ses_quiet", metadata: new() { ["af_agent"] = "calm_owl", ["af_task"] = "spawn-calm_owl-9f3e", ["af_origin"] = "spawn" })
            .Add("http://127.0.0.1:4096", "ses_users_own")
            .Add("http://127.0.0.1:4096", "ses_bad_task", metadata: new() { ["af_task"] = "--exec=evil", ["af_origin"] = "pool" });
    }

    [TearDown]
    public void TearDown() => root.Dispose();

    [TestCase("{ \"schema_version\": 1, \"records\": [ {\"server_ref\": ", TestName = "A_truncated_file_is_moved_aside_and_rebuilt_from_the_live_sessions")]
    [TestCase("not json at all", TestName = "An_invalid_file_is_moved_aside_and_rebuilt_from_the_live_sessions")]
    [TestCase("", TestName = "An_empty_file_is_moved_aside_and_rebuilt_from_the_live_sessions")]
    [TestCase("[1, 2, 3]", TestName = "A_file_that_is_not_an_object_is_moved_aside_and_rebuilt_from_the_live_sessions")]
    [TestCase("{\"schema_version\": 1, \"records\": {}}", TestName = "A_file_whose_records_are_not_a_list_is_moved_aside_and_rebuilt")]
    public async Task A_corrupt_file_is_moved_aside_and_rebuilt(string content)
    {
        WriteFile(content);
        SessionRegistry registry = Registry(inventory);

        IReadOnlyList<SessionRecord> records = await registry.ListAsync(CancellationToken.None);

        string aside = Path.Combine(Folder, "sessions.json.corrupt-20260501T100000Z");
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(aside), Is.EqualTo(content), "the bad file is kept, byte for byte");
            Assert.That(records.Select(r => r.SessionId), Is.EquivalentTo(new[] { "ses_busy", "ses_quiet", "ses_bad_task" }));
            Assert.That(logger.Warnings.Single(w => w.Contains(aside, StringComparison.Ordinal)), Does.Contain(FilePath));
        });
        using JsonDocument rebuilt = JsonDocument.Parse(await File.ReadAllTextAsync(FilePath));
        Assert.That(rebuilt.RootElement.GetProperty("records").GetArrayLength(), Is.EqualTo(3));
    }

    [Test]
    public async Task Rebuilt_records_come_from_the_af_metadata_and_the_live_status()
    {
        WriteFile("{ broken");
        SessionRegistry registry = Registry(inventory);

        IReadOnlyList<SessionRecord> records = await registry.ListAsync(CancellationToken.None);

        SessionRecord busy = records.Single(r => r.SessionId == "ses_busy");
        SessionRecord quiet = records.Single(r => r.SessionId == "ses_quiet");
        SessionRecord badTask = records.Single(r => r.SessionId == "ses_bad_task");
        Assert.Multiple(() =>
        {
            Assert.That(busy, Is.EqualTo(new SessionRecord
            {
                ServerRef = "http://127.0.0.1:4096",
                SessionId = "ses_busy",
                Directory = "/work/wt/t1",
                Project = "demo",
                OriginType = SessionOrigin.Pool,
                WorkRef = "ts-1",
                AgentId = "ghost_wolf",
                Status = SessionStatus.Active,
                CreatedAt = Start,
                LastSeenAt = Start,
                UpdatedAt = Start,
            }));
            Assert.That(quiet.Status, Is.EqualTo(SessionStatus.Idle));
            Assert.That(quiet.OriginType, Is.EqualTo(SessionOrigin.Spawn));
            Assert.That(quiet.WorkRef, Is.EqualTo("spawn-calm_owl-9f3e"));
            Assert.That(badTask.WorkRef, Is.Null, "a metadata value that breaks the id rules is not trusted");
        });
    }

    [Test]
    public async Task Any_operation_recovers_and_then_does_its_work()
    {
        WriteFile("{\"schema_version\": 1, \"records\": [");
        SessionRegistry registry = Registry(inventory);

        SessionRecord upserted = await registry.UpsertAsync(new SessionUpsert { ServerRef = "srv", SessionId = "s_new" }, CancellationToken.None);

        IReadOnlyList<SessionRecord> records = await registry.ListAsync(CancellationToken.None);
        Assert.That(upserted.Status, Is.EqualTo(SessionStatus.Active));
        Assert.That(records.Select(r => r.SessionId), Is.EquivalentTo(new[] { "ses_busy", "ses_quiet", "ses_bad_task", "s_new" }));
        Assert.That(inventory.Calls, Is.EqualTo(1));
    }

    [Test]
    public async Task Without_an_inventory_a_corrupt_file_is_moved_aside_and_the_registry_starts_empty()
    {
        WriteFile("{ broken");
        SessionRegistry registry = Registry(null);

        IReadOnlyList<SessionRecord> records = await registry.ListAsync(CancellationToken.None);

        Assert.That(records, Is.Empty);
        Assert.That(Directory.GetFiles(Folder, "sessions.json.corrupt-*"), Has.Length.EqualTo(1));
        Assert.That(logger.Warnings.Single(), Does.Contain("moved it to").And.Contain(FilePath + ".corrupt-"));
    }

    [Test]
    public async Task An_inventory_that_fails_leaves_an_empty_registry_and_a_warning_not_an_error()
    {
        WriteFile("{ broken");
        inventory.Failure = new HttpRequestException("connection refused");
        SessionRegistry registry = Registry(inventory);

        IReadOnlyList<SessionRecord> records = await registry.ListAsync(CancellationToken.None);

        Assert.That(records, Is.Empty);
        Assert.That(logger.Warnings.Single(), Does.Contain("connection refused").And.Contain(FilePath + ".corrupt-"));
        using JsonDocument rebuilt = JsonDocument.Parse(await File.ReadAllTextAsync(FilePath));
        Assert.That(rebuilt.RootElement.GetProperty("schema_version").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task A_second_corruption_in_the_same_second_gets_its_own_aside_file()
    {
        SessionRegistry registry = Registry(null);
        WriteFile("first bad");
        await registry.ListAsync(CancellationToken.None);
        WriteFile("second bad");

        await registry.ListAsync(CancellationToken.None);

        Assert.That(File.ReadAllText(FilePath + ".corrupt-20260501T100000Z"), Is.EqualTo("first bad"));
        Assert.That(File.ReadAllText(FilePath + ".corrupt-20260501T100000Z-2"), Is.EqualTo("second bad"));
    }

    [Test]
    public async Task The_lock_is_held_while_rebuilding_so_another_process_cannot_write_meanwhile()
    {
        WriteFile("{ broken");
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        inventory.WhileAsked = async ct =>
        {
            asked.SetResult();
            await answer.Task.WaitAsync(ct);
        };
        SessionRegistry registry = Registry(inventory);

        Task<IReadOnlyList<SessionRecord>> listing = registry.ListAsync(CancellationToken.None);
        await Eventually.WithinAsync(asked.Task.ContinueWith(_ => 0, TaskScheduler.Default), "the inventory to be asked");
        await using PythonProcess python = PythonProcess.Start(
            """
            import fcntl, os, sys
            fd = os.open(sys.argv[1], os.O_RDWR)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                print("got the lock")
            except BlockingIOError:
                print("locked out")
            """,
            registry.LockPath);
        string reply = await python.ReadLineAsync("the lock attempt");
        answer.SetResult();
        await listing;

        Assert.That(reply, Is.EqualTo("locked out"));
    }

    private SessionRegistry Registry(ISessionInventory? live) => new(new SessionRegistryOptions { Directory = Folder }, live, time, logger);

    private void WriteFile(string content)
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(FilePath, content);
    }
}
