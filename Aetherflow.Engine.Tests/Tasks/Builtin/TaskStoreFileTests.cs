using System.Diagnostics;
using Aetherflow.Engine.Tasks;
using Aetherflow.Engine.Tasks.Builtin;
using Aetherflow.Engine.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Aetherflow.Engine.Tests.Tasks.Builtin;

public sealed class TaskStoreFileTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Test]
    public async Task The_store_is_created_on_first_use_with_owner_only_permissions()
    {
        using var fixture = new StoreFixture();
        Assert.That(File.Exists(fixture.DatabasePath), Is.False, "constructing a store touches nothing");

        await fixture.Store.ListReadyAsync(None);

        Assert.That(fixture.Store.DatabasePath, Is.EqualTo(fixture.DatabasePath));
        Assert.That(File.GetUnixFileMode(fixture.DatabasePath), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(
            File.GetUnixFileMode(Path.GetDirectoryName(fixture.DatabasePath)!),
            Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
    }

    [Test]
    public async Task Every_write_changes_the_store_file_itself_so_it_can_signal_changes()
    {
        using var fixture = new StoreFixture();
        string id = await fixture.AddAsync("watched");
        Assert.That(fixture.Store.ChangeSignalPath, Is.EqualTo(fixture.DatabasePath));
        Assert.That(fixture.Store.Name, Is.EqualTo("builtin"));
        uint before = ChangeCounter(fixture.DatabasePath);

        await fixture.Store.ListReadyAsync(None);
        await fixture.Store.GetAsync(id, None);
        uint afterReads = ChangeCounter(fixture.DatabasePath);
        await fixture.Open().AppendLogAsync(id, "from another writer", None);
        uint afterWrite = ChangeCounter(fixture.DatabasePath);

        Assert.That(afterReads, Is.EqualTo(before), "reads leave the file alone");
        Assert.That(afterWrite, Is.Not.EqualTo(before), "a commit rewrites the file (no WAL side file hides it)");
        Assert.That(File.Exists(fixture.DatabasePath + "-wal"), Is.False);
    }

    [Test]
    public async Task A_file_that_is_not_a_store_is_reported_with_what_to_do()
    {
        using var fixture = new StoreFixture();
        Directory.CreateDirectory(Path.GetDirectoryName(fixture.DatabasePath)!);
        await File.WriteAllTextAsync(fixture.DatabasePath, new string('x', 4096));

        Assert.That(
            async () => await fixture.Store.ListReadyAsync(None),
            Throws.TypeOf<TaskSourceException>().With.Message.StartsWith($"the task store {fixture.DatabasePath} is damaged or not a task store").And.Message.EndsWith("move it aside to start a new one"));
    }

    [Test]
    public async Task A_store_from_a_newer_aetherflow_is_refused()
    {
        using var fixture = new StoreFixture();
        await fixture.AddAsync("exists");
        Execute(fixture.DatabasePath, "PRAGMA user_version = 99");

        Assert.That(
            async () => await fixture.Open().ListReadyAsync(None),
            Throws.TypeOf<TaskSourceException>().With.Message.Contains("has schema version 99, newer than this aetherflow understands (1); upgrade aetherflow"));
    }

    [Test]
    public async Task A_writer_waits_for_another_process_that_holds_the_lock()
    {
        using var fixture = new StoreFixture();
        await fixture.AddAsync("first");
        using Process locker = StartLocker(fixture.DatabasePath, holdSeconds: "1.5");
        Assert.That(await locker.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20)), Is.EqualTo("locked"));

        string id = await Eventually.WithinAsync(fixture.AddAsync("waited"), "the add after the lock is released", TimeSpan.FromSeconds(30));
        await locker.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.That(locker.ExitCode, Is.Zero, await locker.StandardError.ReadToEndAsync());
        IReadOnlyList<TrackerTaskDetail> all = await fixture.Store.ListDetailsAsync(null, None);
        Assert.That(all.Select(t => t.Title), Is.EquivalentTo(new[] { "first", "from python", "waited" }));
        Assert.That(all.Single(t => t.Title == "waited").Id, Is.EqualTo(id));
    }

    [Test]
    public async Task A_writer_gives_up_with_a_clear_error_when_the_lock_is_held_too_long()
    {
        using var fixture = new StoreFixture();
        await fixture.AddAsync("first");
        BuiltinTaskStore impatient = fixture.Open(busyTimeout: TimeSpan.FromSeconds(1));
        using Process locker = StartLocker(fixture.DatabasePath, holdSeconds: "stdin");
        Assert.That(await locker.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20)), Is.EqualTo("locked"));

        try
        {
            Assert.That(
                async () => await impatient.AddAsync(new NewTask { Title = "too late" }, None),
                Throws.TypeOf<TaskSourceException>().With.Message.EqualTo($"the task store {fixture.DatabasePath} stayed locked by another process for over 1s; try again"));
        }
        finally
        {
            await locker.StandardInput.WriteLineAsync("release");
            await locker.StandardInput.FlushAsync();
            await locker.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        }

        await impatient.AddAsync(new NewTask { Title = "after" }, None);
        Assert.That((await fixture.Store.ListDetailsAsync(null, None)).Select(t => t.Title), Is.EquivalentTo(new[] { "first", "from python", "after" }));
    }

    // The SQLite header's file change counter (offset 24, big-endian), bumped by every commit in rollback mode.
    private static uint ChangeCounter(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        Span<byte> header = stackalloc byte[28];
        stream.ReadExactly(header);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header[24..]);
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    // A second process (python's own SQLite) that takes the write lock, inserts a task, says "locked", and commits
    // after holdSeconds or when told on stdin.
    private static Process StartLocker(string databasePath, string holdSeconds)
    {
        const string script = """
            import sqlite3, sys, time
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute("BEGIN EXCLUSIVE")
            db.execute("INSERT INTO tasks (id, title, description, status, priority, created_at, updated_at) "
                       "VALUES ('ts-abcdef', 'from python', '', 'open', 2, '2026-03-01T12:00:00.0000000Z', '2026-03-01T12:00:00.0000000Z')")
            print("locked", flush=True)
            if sys.argv[2] == "stdin":
                sys.stdin.readline()
            else:
                time.sleep(float(sys.argv[2]))
            db.execute("COMMIT")
            """;
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "-c", script, databasePath, holdSeconds })
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }
}
