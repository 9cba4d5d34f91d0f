using System.Text.Json;
using Aetherflow.Engine.Sessions;
using Aetherflow.Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Aetherflow.Engine.Tests.Sessions;

/// <summary>What <c>sessions.json</c> looks like on disk, its permissions, schema versions, and records it cannot use.</summary>
public sealed class SessionRegistryFileTests
{
    private static readonly DateTimeOffset Start = new(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);
    private TempDirectory root = null!;
    private FakeTimeProvider time = null!;
    private RecordingLogger<SessionRegistry> logger = null!;

    private string Folder => root.Combine("sessions");

    private string FilePath => Path.Combine(Folder, "sessions.json");

    [SetUp]
    public void SetUp()
    {
        root = new TempDirectory("afsess");
        time = new FakeTimeProvider(Start);
        logger = new RecordingLogger<SessionRegistry>();
    }

    [TearDown]
    public void TearDown() => root.Dispose();

    [Test]
    public async Task The_file_has_schema_version_1_and_snake_case_fields_with_RFC_3339_UTC_times()
    {
        SessionRegistry registry = Registry();

        await registry.UpsertAsync(
            new SessionUpsert
            {
                ServerRef = "http://127.0.0.1:4096",
                SessionId = "ses_abc123",
                Directory = "/work/wt/task-1",
                Project = "demo",
                OriginType = SessionOrigin.Pool,
                WorkRef = "ts-1a2b",
                AgentId = "ghost_wolf",
            },
            CancellationToken.None);

        using JsonDocument file = JsonDocument.Parse(await File.ReadAllTextAsync(FilePath));
        JsonElement rootElement = file.RootElement;
        JsonElement record = rootElement.GetProperty("records")[0];
        Assert.Multiple(() =>
        {
            Assert.That(rootElement.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "schema_version", "records" }));
            Assert.That(rootElement.GetProperty("schema_version").GetInt32(), Is.EqualTo(1));
            Assert.That(record.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[]
            {
                "server_ref", "session_id", "directory", "project", "origin_type", "work_ref", "agent_id", "status",
                "created_at", "last_seen_at", "updated_at",
            }));
            Assert.That(record.GetProperty("server_ref").GetString(), Is.EqualTo("http://127.0.0.1:4096"));
            Assert.That(record.GetProperty("origin_type").GetString(), Is.EqualTo("pool"));
            Assert.That(record.GetProperty("status").GetString(), Is.EqualTo("active"));
            Assert.That(record.GetProperty("created_at").GetString(), Is.EqualTo("2026-05-01T10:00:00Z"));
            Assert.That(record.GetProperty("updated_at").GetString(), Is.EqualTo("2026-05-01T10:00:00Z"));
        });
    }

    [Test]
    public async Task Optional_fields_that_were_never_given_are_left_out_and_fractions_of_a_second_are_kept()
    {
        time.Advance(TimeSpan.FromMilliseconds(250));
        SessionRegistry registry = Registry();

        await registry.UpsertAsync(new SessionUpsert { ServerRef = "srv", SessionId = "s1" }, CancellationToken.None);

        using JsonDocument file = JsonDocument.Parse(await File.ReadAllTextAsync(FilePath));
        JsonElement record = file.RootElement.GetProperty("records")[0];
        Assert.That(record.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "server_ref", "session_id", "status", "created_at", "last_seen_at", "updated_at" }));
        Assert.That(record.GetProperty("last_seen_at").GetString(), Is.EqualTo("2026-05-01T10:00:00.25Z"));
    }

    [Test]
    public async Task The_folder_is_0700_and_the_file_and_lock_0600_with_no_temporary_files_left()
    {
        SessionRegistry registry = Registry();

        await registry.UpsertAsync(new SessionUpsert { ServerRef = "srv", SessionId = "s1" }, CancellationToken.None);
        await registry.SetStatusBySessionAsync("srv", "s1", SessionStatus.Idle, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(File.GetUnixFileMode(Folder), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
            Assert.That(File.GetUnixFileMode(FilePath), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(File.GetUnixFileMode(FilePath + ".lock"), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(Directory.GetFileSystemEntries(Folder).Select(Path.GetFileName), Is.EquivalentTo(new[] { "sessions.json", "sessions.json.lock" }));
        });
    }

    [Test]
    public async Task A_missing_file_is_an_empty_registry_and_reading_it_creates_nothing()
    {
        SessionRegistry registry = Registry();

        IReadOnlyList<SessionRecord> records = await registry.ListAsync(CancellationToken.None);

        Assert.That(records, Is.Empty);
        Assert.That(File.Exists(FilePath), Is.False);
    }

    [Test]
    public async Task Version_0_reads_as_version_1_and_is_written_back_as_1()
    {
        WriteFile("""
            {"schema_version": 0, "records": [
              {"server_ref": "srv", "session_id": "s1", "status": "idle", "created_at": "2026-04-01T00:00:00.123456789Z",
               "last_seen_at": "2026-04-01T00:00:00Z", "updated_at": "2026-04-02T00:00:00+02:00"}]}
            """);
        SessionRegistry registry = Registry();

        IReadOnlyList<SessionRecord> before = await registry.ListAsync(CancellationToken.None);
        await registry.UpsertAsync(new SessionUpsert { ServerRef = "srv", SessionId = "s2" }, CancellationToken.None);

        Assert.That(before.Single().Status, Is.EqualTo(SessionStatus.Idle));
        Assert.That(before.Single().UpdatedAt, Is.EqualTo(new DateTimeOffset(2026, 4, 1, 22, 0, 0, TimeSpan.Zero)));
        Assert.That(before.Single().CreatedAt.Ticks % TimeSpan.TicksPerSecond, Is.EqualTo(1234568), "Go's nanoseconds round to 100 ns");
        using JsonDocument file = JsonDocument.Parse(await File.ReadAllTextAsync(FilePath));
        Assert.That(file.RootElement.GetProperty("schema_version").GetInt32(), Is.EqualTo(1));
        Assert.That(file.RootElement.GetProperty("records").GetArrayLength(), Is.EqualTo(2));
    }

    [Test]
    public async Task A_newer_version_fails_every_operation_with_one_line_and_is_never_overwritten()
    {
        const string Newer = """{"schema_version": 2, "records": {"new": "shape"}}""";
        WriteFile(Newer);
        SessionRegistry registry = Registry();

        var list = await Assert.ThrowsAsync<SessionRegistryException>(() => registry.ListAsync(CancellationToken.None));
        await Assert.ThrowsAsync<SessionRegistryException>(() => registry.UpsertAsync(new SessionUpsert { ServerRef = "srv", SessionId = "s1" }, CancellationToken.None));
        await Assert.ThrowsAsync<SessionRegistryException>(() => registry.SweepAsync(TimeSpan.FromHours(1), CancellationToken.None));

        Assert.That(list!.Message, Does.Contain("schema version 2").And.Contain("newer aetherflow").And.Contain(FilePath).And.Not.Contain("\n"));
        Assert.That(await File.ReadAllTextAsync(FilePath), Is.EqualTo(Newer));
        Assert.That(Directory.GetFiles(Folder, "sessions.json.corrupt-*"), Is.Empty);
    }

    [Test]
    public async Task Records_it_cannot_use_are_hidden_with_one_warning_and_written_back_unchanged()
    {
        WriteFile("""
            {"schema_version": 1, "written_by": "aetherflow 9", "records": [
              {"server_ref": "srv", "session_id": "good", "status": "active", "created_at": "2026-04-01T00:00:00Z",
               "last_seen_at": "2026-04-01T00:00:00Z", "updated_at": "2026-04-01T00:00:00Z", "colour": "blue"},
              {"server_ref": "srv", "session_id": "future", "status": "paused", "created_at": "2026-04-01T00:00:00Z"},
              {"server_ref": "srv", "session_id": "--exec=evil", "status": "active"},
              "not a record"
            ]}
            """);
        SessionRegistry registry = Registry();

        IReadOnlyList<SessionRecord> first = await registry.ListAsync(CancellationToken.None);
        await registry.ListAsync(CancellationToken.None);
        await registry.UpsertAsync(new SessionUpsert { ServerRef = "srv", SessionId = "good", Status = SessionStatus.Idle }, CancellationToken.None);

        Assert.That(first.Select(r => r.SessionId), Is.EqualTo(new[] { "good" }));
        Assert.That(logger.Warnings, Has.Count.EqualTo(1));
        Assert.That(logger.Warnings[0], Does.Contain("3 record(s)").And.Contain("'paused'").And.Contain(FilePath));
        using JsonDocument file = JsonDocument.Parse(await File.ReadAllTextAsync(FilePath));
        JsonElement records = file.RootElement.GetProperty("records");
        Assert.Multiple(() =>
        {
            Assert.That(file.RootElement.GetProperty("written_by").GetString(), Is.EqualTo("aetherflow 9"));
            Assert.That(records[0].GetProperty("status").GetString(), Is.EqualTo("idle"));
            Assert.That(records[0].GetProperty("colour").GetString(), Is.EqualTo("blue"), "a field this version does not know survives a rewrite");
            Assert.That(records[1].GetProperty("status").GetString(), Is.EqualTo("paused"));
            Assert.That(records[2].GetProperty("session_id").GetString(), Is.EqualTo("--exec=evil"));
            Assert.That(records[3].GetString(), Is.EqualTo("not a record"));
        });
    }

    [Test]
    public async Task Invalid_values_are_refused_before_anything_is_written()
    {
        SessionRegistry registry = Registry();

        var badSession = await Assert.ThrowsAsync<ArgumentException>(() =>
            registry.UpsertAsync(new SessionUpsert { ServerRef = "srv", SessionId = "../etc" }, CancellationToken.None));
        var badTask = await Assert.ThrowsAsync<ArgumentException>(() =>
            registry.UpsertAsync(new SessionUpsert { ServerRef = "srv", SessionId = "s1", WorkRef = "--exec=evil" }, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            registry.UpsertAsync(new SessionUpsert { ServerRef = "srv", SessionId = "s1", Directory = "relative/dir" }, CancellationToken.None));

        Assert.That(badSession!.Message, Does.Contain("session_id '../etc'"));
        Assert.That(badTask!.Message, Does.Contain("work_ref '--exec=evil'"));
        Assert.That(File.Exists(FilePath), Is.False);
    }

    private SessionRegistry Registry() => new(new SessionRegistryOptions { Directory = Folder }, null, time, logger);

    private void WriteFile(string json)
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(FilePath, json);
    }
}
