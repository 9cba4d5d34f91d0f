using System.Text.Json.Nodes;
using Aetherflow.Engine.Sessions;
using Aetherflow.Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Aetherflow.Engine.Tests.Sessions;

/// <summary>Upsert merging, status updates, resumable lookup, stale marking and the sweep.</summary>
public sealed class SessionRegistryOperationsTests
{
    private const string Server = "http://127.0.0.1:4096";
    private static readonly DateTimeOffset Start = new(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);
    private TempDirectory root = null!;
    private FakeTimeProvider time = null!;
    private SessionRegistry registry = null!;

    private string Folder => root.Combine("sessions");

    [SetUp]
    public void SetUp()
    {
        root = new TempDirectory("afsess");
        time = new FakeTimeProvider(Start);
        registry = Registry();
    }

    [TearDown]
    public void TearDown() => root.Dispose();

    [Test]
    public async Task Upsert_keeps_every_field_not_given_and_the_creation_time()
    {
        await registry.UpsertAsync(Full("s1"), CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(5));

        SessionRecord updated = await registry.UpsertAsync(new SessionUpsert { ServerRef = Server, SessionId = "s1", Status = SessionStatus.Idle }, CancellationToken.None);

        SessionRecord stored = (await registry.ListAsync(CancellationToken.None)).Single();
        Assert.That(stored, Is.EqualTo(updated));
        Assert.That(stored, Is.EqualTo(new SessionRecord
        {
            ServerRef = Server,
            SessionId = "s1",
            Directory = "/work/wt/ts-1",
            Project = "demo",
            OriginType = SessionOrigin.Pool,
            WorkRef = "ts-1",
            AgentId = "ghost_wolf",
            Status = SessionStatus.Idle,
            CreatedAt = Start,
            LastSeenAt = Start.AddMinutes(5),
            UpdatedAt = Start.AddMinutes(5),
        }));
    }

    [Test]
    public async Task Upsert_replaces_the_fields_it_is_given_and_keeps_fields_another_writer_added()
    {
        await registry.UpsertAsync(Full("s1"), CancellationToken.None);
        string path = Path.Combine(Folder, "sessions.json");
        JsonNode file = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        file["records"]![0]!["title_hint"] = "written by a newer aetherflow";
        await File.WriteAllTextAsync(path, file.ToJsonString());
        time.Advance(TimeSpan.FromMinutes(1));

        SessionRecord updated = await registry.UpsertAsync(
            new SessionUpsert { ServerRef = Server, SessionId = "s1", AgentId = "calm_owl", WorkRef = "ts-2" }, CancellationToken.None);

        JsonNode after = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        Assert.That(updated.AgentId, Is.EqualTo("calm_owl"));
        Assert.That(updated.WorkRef, Is.EqualTo("ts-2"));
        Assert.That(updated.Project, Is.EqualTo("demo"));
        Assert.That(updated.Status, Is.EqualTo(SessionStatus.Active));
        Assert.That(after["records"]![0]!["title_hint"]!.GetValue<string>(), Is.EqualTo("written by a newer aetherflow"));
    }

    [Test]
    public async Task Upserting_a_terminated_status_does_not_pretend_the_session_was_seen()
    {
        await registry.UpsertAsync(Full("s1"), CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(1));

        SessionRecord record = await registry.UpsertAsync(
            new SessionUpsert { ServerRef = Server, SessionId = "s1", Status = SessionStatus.Terminated }, CancellationToken.None);

        Assert.That(record.LastSeenAt, Is.EqualTo(Start));
        Assert.That(record.UpdatedAt, Is.EqualTo(Start.AddMinutes(1)));
    }

    [Test]
    public async Task List_is_sorted_by_updated_at_newest_first()
    {
        await registry.UpsertAsync(Full("s1"), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));
        await registry.UpsertAsync(Full("s2"), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));
        await registry.UpsertAsync(Full("s3"), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));
        await registry.SetStatusBySessionAsync(Server, "s1", SessionStatus.Idle, CancellationToken.None);

        IReadOnlyList<SessionRecord> records = await registry.ListAsync(CancellationToken.None);

        Assert.That(records.Select(r => r.SessionId), Is.EqualTo(new[] { "s1", "s3", "s2" }));
    }

    [Test]
    public async Task Status_by_session_changes_only_that_record_and_says_whether_it_existed()
    {
        await registry.UpsertAsync(Full("s1"), CancellationToken.None);
        await registry.UpsertAsync(Full("s2"), CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(2));

        bool found = await registry.SetStatusBySessionAsync(Server, "s1", SessionStatus.Terminated, CancellationToken.None);
        bool missing = await registry.SetStatusBySessionAsync("http://other:1", "s1", SessionStatus.Terminated, CancellationToken.None);

        IReadOnlyList<SessionRecord> records = await registry.ListAsync(CancellationToken.None);
        SessionRecord s1 = records.Single(r => r.SessionId == "s1");
        Assert.That(found, Is.True);
        Assert.That(missing, Is.False);
        Assert.That(s1.Status, Is.EqualTo(SessionStatus.Terminated));
        Assert.That(s1.UpdatedAt, Is.EqualTo(Start.AddMinutes(2)));
        Assert.That(s1.LastSeenAt, Is.EqualTo(Start), "a terminated session was not seen alive");
        Assert.That(s1.AgentId, Is.EqualTo("ghost_wolf"));
        Assert.That(records.Single(r => r.SessionId == "s2").Status, Is.EqualTo(SessionStatus.Active));
    }

    [Test]
    public async Task Status_by_work_ref_changes_live_records_of_that_origin_and_work_only()
    {
        await registry.UpsertAsync(Full("live1", "ts-1"), CancellationToken.None);
        await registry.UpsertAsync(Full("live2", "ts-1") with { Status = SessionStatus.Idle }, CancellationToken.None);
        await registry.UpsertAsync(Full("history", "ts-1") with { Status = SessionStatus.Terminated }, CancellationToken.None);
        await registry.UpsertAsync(Full("spawned", "ts-1") with { OriginType = SessionOrigin.Spawn }, CancellationToken.None);
        await registry.UpsertAsync(Full("other", "ts-2"), CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(1));

        int changed = await registry.SetStatusByWorkRefAsync(SessionOrigin.Pool, "ts-1", SessionStatus.Idle, CancellationToken.None);
        int none = await registry.SetStatusByWorkRefAsync(SessionOrigin.Pool, "ts-9", SessionStatus.Idle, CancellationToken.None);

        var status = (await registry.ListAsync(CancellationToken.None)).ToDictionary(r => r.SessionId, r => r.Status);
        Assert.That(changed, Is.EqualTo(2));
        Assert.That(none, Is.Zero);
        Assert.That(status, Is.EquivalentTo(new Dictionary<string, SessionStatus>
        {
            ["live1"] = SessionStatus.Idle,
            ["live2"] = SessionStatus.Idle,
            ["history"] = SessionStatus.Terminated,
            ["spawned"] = SessionStatus.Active,
            ["other"] = SessionStatus.Active,
        }));
    }

    [Test]
    public async Task Find_resumable_returns_the_newest_active_or_idle_session_of_the_work()
    {
        await registry.UpsertAsync(Full("oldest_active", "ts-1"), CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(1));
        await registry.UpsertAsync(Full("newer_idle", "ts-1") with { Status = SessionStatus.Idle }, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(1));
        await registry.UpsertAsync(Full("newest_terminated", "ts-1") with { Status = SessionStatus.Terminated }, CancellationToken.None);
        await registry.UpsertAsync(Full("newest_stale", "ts-1") with { Status = SessionStatus.Stale }, CancellationToken.None);
        await registry.UpsertAsync(Full("other_task", "ts-2"), CancellationToken.None);

        SessionRecord? resumable = await registry.FindResumableAsync("ts-1", CancellationToken.None);
        SessionRecord? nothing = await registry.FindResumableAsync("ts-3", CancellationToken.None);

        Assert.That(resumable?.SessionId, Is.EqualTo("newer_idle"));
        Assert.That(nothing, Is.Null);
    }

    [Test]
    public async Task Find_resumable_returns_nothing_when_every_session_of_the_work_ended()
    {
        await registry.UpsertAsync(Full("crashed", "ts-1") with { Status = SessionStatus.Terminated }, CancellationToken.None);
        await registry.UpsertAsync(Full("gone", "ts-1") with { Status = SessionStatus.Stale }, CancellationToken.None);

        Assert.That(await registry.FindResumableAsync("ts-1", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Mark_stale_marks_live_records_its_server_no_longer_has_and_nothing_else()
    {
        await registry.UpsertAsync(Full("still_there"), CancellationToken.None);
        await registry.UpsertAsync(Full("gone_active"), CancellationToken.None);
        await registry.UpsertAsync(Full("gone_idle") with { Status = SessionStatus.Idle }, CancellationToken.None);
        await registry.UpsertAsync(Full("gone_terminated") with { Status = SessionStatus.Terminated }, CancellationToken.None);
        await registry.UpsertAsync(Full("other_server") with { ServerRef = "http://127.0.0.1:5000" }, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(10));
        var probe = new FakeSessionInventory().Add(Server, "still_there").Add(Server, "not_registered");

        int staled = await registry.MarkStaleAsync(probe, CancellationToken.None);

        var records = (await registry.ListAsync(CancellationToken.None)).ToDictionary(r => r.SessionId);
        Assert.That(staled, Is.EqualTo(2));
        Assert.Multiple(() =>
        {
            Assert.That(records["gone_active"].Status, Is.EqualTo(SessionStatus.Stale));
            Assert.That(records["gone_active"].UpdatedAt, Is.EqualTo(Start.AddMinutes(10)));
            Assert.That(records["gone_idle"].Status, Is.EqualTo(SessionStatus.Stale));
            Assert.That(records["gone_terminated"].Status, Is.EqualTo(SessionStatus.Terminated));
            Assert.That(records["other_server"].Status, Is.EqualTo(SessionStatus.Active), "its server was not asked");
            Assert.That(records["still_there"].Status, Is.EqualTo(SessionStatus.Active));
            Assert.That(records["still_there"].LastSeenAt, Is.EqualTo(Start.AddMinutes(10)));
            Assert.That(records.ContainsKey("not_registered"), Is.False);
        });
    }

    [Test]
    public async Task Mark_stale_asks_the_probe_outside_the_lock_and_spares_records_written_meanwhile()
    {
        var probe = new FakeSessionInventory { ServerRefs = { Server } };
        probe.WhileAsked = async ct =>
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Registry().UpsertAsync(Full("born_during_probe"), ct);
        };

        int staled = await Eventually.WithinAsync(registry.MarkStaleAsync(probe, CancellationToken.None), "mark stale (it would hang if the probe ran under the lock)");

        Assert.That(staled, Is.Zero);
        Assert.That((await registry.ListAsync(CancellationToken.None)).Single().Status, Is.EqualTo(SessionStatus.Active));
    }

    [Test]
    public async Task Sweep_removes_only_old_terminated_and_stale_records_never_active_or_idle_ones()
    {
        await registry.UpsertAsync(Full("ancient_active"), CancellationToken.None);
        await registry.UpsertAsync(Full("ancient_idle") with { Status = SessionStatus.Idle }, CancellationToken.None);
        await registry.UpsertAsync(Full("old_terminated") with { Status = SessionStatus.Terminated }, CancellationToken.None);
        await registry.UpsertAsync(Full("old_stale") with { Status = SessionStatus.Stale }, CancellationToken.None);
        time.Advance(TimeSpan.FromDays(30));
        await registry.UpsertAsync(Full("recent_terminated") with { Status = SessionStatus.Terminated }, CancellationToken.None);
        time.Advance(TimeSpan.FromHours(1));

        int removed = await registry.SweepAsync(TimeSpan.FromHours(48), CancellationToken.None);

        IReadOnlyList<SessionRecord> records = await registry.ListAsync(CancellationToken.None);
        Assert.That(removed, Is.EqualTo(2));
        Assert.That(records.Select(r => r.SessionId), Is.EquivalentTo(new[] { "ancient_active", "ancient_idle", "recent_terminated" }));
    }

    [Test]
    public async Task Sweep_keeps_at_most_the_configured_number_of_ended_records_dropping_the_oldest()
    {
        registry = new SessionRegistry(new SessionRegistryOptions { Directory = Folder, MaxInactiveRecords = 2 }, null, time);
        foreach (string id in new[] { "e1", "e2", "e3", "e4" })
        {
            await registry.UpsertAsync(Full(id) with { Status = SessionStatus.Terminated }, CancellationToken.None);
            time.Advance(TimeSpan.FromMinutes(1));
        }

        await registry.UpsertAsync(Full("running"), CancellationToken.None);

        int removed = await registry.SweepAsync(TimeSpan.FromDays(7), CancellationToken.None);

        Assert.That(removed, Is.EqualTo(2));
        Assert.That((await registry.ListAsync(CancellationToken.None)).Select(r => r.SessionId), Is.EqualTo(new[] { "running", "e4", "e3" }));
    }

    [Test]
    public async Task Sweep_with_an_endless_ttl_removes_nothing()
    {
        await registry.UpsertAsync(Full("ended") with { Status = SessionStatus.Terminated }, CancellationToken.None);

        int removed = await registry.SweepAsync(TimeSpan.MaxValue, CancellationToken.None);

        Assert.That(removed, Is.Zero);
        Assert.That(await registry.ListAsync(CancellationToken.None), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Two_registries_on_one_folder_see_each_others_writes()
    {
        SessionRegistry other = Registry();

        await registry.UpsertAsync(Full("from_first"), CancellationToken.None);
        await other.UpsertAsync(Full("from_second"), CancellationToken.None);
        await registry.SetStatusBySessionAsync(Server, "from_second", SessionStatus.Idle, CancellationToken.None);

        var records = (await other.ListAsync(CancellationToken.None)).ToDictionary(r => r.SessionId, r => r.Status);
        Assert.That(records, Is.EquivalentTo(new Dictionary<string, SessionStatus> { ["from_first"] = SessionStatus.Active, ["from_second"] = SessionStatus.Idle }));
    }

    private static SessionUpsert Full(string sessionId, string workRef = "ts-1") => new()
    {
        ServerRef = Server,
        SessionId = sessionId,
        Directory = $"/work/wt/{workRef}",
        Project = "demo",
        OriginType = SessionOrigin.Pool,
        WorkRef = workRef,
        AgentId = "ghost_wolf",
    };

    private SessionRegistry Registry() => new(new SessionRegistryOptions { Directory = Folder }, null, time);
}
