using System.Diagnostics;
using Aetherflow.Engine.Tasks;
using Aetherflow.Engine.Tasks.Builtin;
using Aetherflow.Tui.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Aetherflow.Tui.Tests.Commands;

/// <summary>
/// Real <c>aetherflow task</c> processes writing to one store at the same time, as agents do: nothing is lost or
/// duplicated, the file stays sound, and a task is claimed by exactly one of several racing processes.
/// </summary>
public sealed class TaskStoreProcessTests
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Two_processes_adding_while_a_third_claims_lose_and_duplicate_nothing()
    {
        // Each add is its own aetherflow process (as when agents call the CLI), in two concurrent streams, while this
        // process claims what becomes ready. The racing processes also create the store file itself.
        const int perStream = 40;
        using var home = new TestHome();
        var store = new BuiltinTaskStore(new BuiltinTaskStoreOptions { ProjectDirectory = home.ProjectDirectory });
        Task<List<string>> first = AddStreamAsync(home, "a", perStream);
        Task<List<string>> second = AddStreamAsync(home, "b", perStream);
        Task both = Task.WhenAll(first, second);

        var claimed = new List<string>();
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (!both.IsCompleted && DateTime.UtcNow < deadline)
        {
            if (File.Exists(store.DatabasePath))
            {
                foreach (TrackerTask ready in (await store.ListReadyAsync(CancellationToken.None)).Take(2))
                {
                    await store.ClaimAsync(ready.Id, CancellationToken.None);
                    claimed.Add(ready.Id);
                }
            }

            await Task.WhenAny(both, Task.Delay(20));
        }

        List<string> idsA = await first.WaitAsync(TimeSpan.FromMinutes(5));
        List<string> idsB = await second.WaitAsync(TimeSpan.FromMinutes(1));
        IReadOnlyList<TrackerTaskDetail> all = await store.ListDetailsAsync(null, CancellationToken.None);
        Assert.That(all, Has.Count.EqualTo(2 * perStream));
        Assert.That(all.Select(t => t.Id), Is.Unique);
        Assert.That(all.Select(t => t.Id), Is.EquivalentTo(idsA.Concat(idsB)));
        Assert.That(
            all.Select(t => t.Title),
            Is.EquivalentTo(Enumerable.Range(0, perStream).SelectMany(i => new[] { $"a-{i}", $"b-{i}" })));
        Assert.That(claimed, Is.Not.Empty, "claims ran while the other processes were adding");
        Assert.That(all.Where(t => t.State == TrackerTaskState.InProgress).Select(t => t.Id), Is.EquivalentTo(claimed));
        Assert.That(IntegrityCheck(store.DatabasePath), Is.EqualTo("ok"));
    }

    [Test]
    public async Task Of_two_processes_starting_the_same_tasks_exactly_one_wins_each()
    {
        const int tasks = 12;
        using var home = new TestHome();
        var store = new BuiltinTaskStore(new BuiltinTaskStoreOptions { ProjectDirectory = home.ProjectDirectory });
        var ids = new List<string>();
        for (int i = 0; i < tasks; i++)
        {
            ids.Add(await store.AddAsync(new NewTask { Title = "contended " + i }, CancellationToken.None));
        }

        // Both streams go through the ids in the same order, so they collide on every one.
        Task<List<(string Id, int Code, string Error)>> first = StartStreamAsync(home, ids);
        Task<List<(string Id, int Code, string Error)>> second = StartStreamAsync(home, ids);
        List<(string Id, int Code, string Error)>[] results = await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromMinutes(5));

        var attempts = results.SelectMany(r => r).ToList();
        Assert.That(attempts.Where(a => a.Code == 0).Select(a => a.Id), Is.EquivalentTo(ids), "every task started exactly once");
        var losses = attempts.Where(a => a.Code != 0).ToList();
        Assert.That(losses, Has.Count.EqualTo(tasks));
        Assert.That(losses.Select(l => l.Code), Is.All.EqualTo(1));
        Assert.That(losses.Select(l => l.Error), Is.All.Match("^aetherflow: cannot start ts-[0-9a-f]{6}: it is already in_progress\n$"));
        Assert.That((await store.ListAsync(TrackerTaskState.InProgress, CancellationToken.None)).Select(t => t.Id), Is.EquivalentTo(ids));
        Assert.That(IntegrityCheck(store.DatabasePath), Is.EqualTo("ok"));
    }

    private static Task<List<string>> AddStreamAsync(TestHome home, string name, int count) => Task.Run(async () =>
    {
        var ids = new List<string>();
        for (int i = 0; i < count; i++)
        {
            var (code, output, error) = await RunAsync(home, "task", "add", $"{name}-{i}");
            Assert.That(code, Is.Zero, $"add {name}-{i}: {error}");
            ids.Add(output.Trim());
        }

        return ids;
    });

    private static Task<List<(string Id, int Code, string Error)>> StartStreamAsync(TestHome home, IReadOnlyList<string> ids) => Task.Run(async () =>
    {
        var results = new List<(string, int, string)>();
        foreach (string id in ids)
        {
            var (code, _, error) = await RunAsync(home, "task", "start", id);
            results.Add((id, code, error));
        }

        return results;
    });

    private static async Task<(int Code, string Output, string Error)> RunAsync(TestHome home, params string[] args)
    {
        (string fileName, string[] prefix) = TestProcess.Executable();
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = home.ProjectDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment.Clear();
        foreach ((string key, string value) in home.Variables)
        {
            start.Environment[key] = value;
        }

        foreach (string name in new[] { "DOTNET_ROOT", "DOTNET_CLI_HOME" })
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                start.Environment[name] = value;
            }
        }

        foreach (string arg in prefix.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(ProcessTimeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }

    private static string IntegrityCheck(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)command.ExecuteScalar()!;
    }
}
