using Aetherflow.Engine.Tasks;
using Aetherflow.Engine.Tasks.Builtin;
using Aetherflow.Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Aetherflow.Engine.Tests.Tasks.Builtin;

/// <summary>A project folder with a built-in store on a fake clock; more stores on the same file can be opened.</summary>
internal sealed class StoreFixture : IDisposable
{
    private readonly TempDirectory folder = new("afstore");

    public StoreFixture()
    {
        ProjectDirectory = Directory.CreateDirectory(folder.Combine("project")).FullName;
        Store = Open();
    }

    public string ProjectDirectory { get; }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public BuiltinTaskStore Store { get; }

    public string DatabasePath => Path.Combine(ProjectDirectory, ".aetherflow", "tasks.db");

    /// <summary>Another store instance on the same file, as another process would have.</summary>
    public BuiltinTaskStore Open(Random? random = null, TimeSpan? busyTimeout = null) => new(new BuiltinTaskStoreOptions
    {
        ProjectDirectory = ProjectDirectory,
        ProjectName = "demo",
        TimeProvider = Clock,
        Random = random ?? Random.Shared,
        BusyTimeout = busyTimeout ?? TimeSpan.FromSeconds(10),
    });

    public Task<string> AddAsync(string title, int priority = 2, params string[] after) =>
        Store.AddAsync(new NewTask { Title = title, Priority = priority, Dependencies = after }, CancellationToken.None);

    public async Task<TrackerTaskState> StateOfAsync(string id) => (await Store.GetAsync(id, CancellationToken.None)).State;

    public void Dispose() => folder.Dispose();
}
