using System.Text;
using Aetherflow.Engine.Events;
using Aetherflow.Engine.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Aetherflow.Engine.Tests.Events;

/// <summary>A store over a temp journal folder with a fake clock; <see cref="Restart"/> simulates an engine restart.</summary>
public sealed class StoreFixture : IDisposable
{
    public const string Session = "ses_01JAAAAAAAAAAAAAAAAAAAAAAA";

    private readonly TempDirectory directory = new("afevents");

    public StoreFixture(Func<SessionEventStoreOptions, SessionEventStoreOptions>? configure = null)
    {
        Options = new SessionEventStoreOptions { JournalDirectory = directory.Combine("journals") };
        Options = configure?.Invoke(Options) ?? Options;
        Store = new SessionEventStore(Options, Clock, Logger);
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));

    public RecordingLogger<SessionEventStore> Logger { get; } = new();

    public SessionEventStoreOptions Options { get; }

    public SessionEventStore Store { get; private set; }

    public string JournalDirectory => Options.JournalDirectory!;

    public string JournalPath(string session = Session) => Path.Combine(JournalDirectory, session + ".ndjson");

    public static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    public SessionEvent Append(string type, string payload, string session = Session) =>
        Store.Append(session, type, Json(payload), Clock.GetUtcNow());

    public void AppendMany(int count, string session = Session)
    {
        for (int i = 1; i <= count; i++)
        {
            Append("session.status", $$"""{"sessionID":"{{session}}","status":{"type":"busy"},"n":{{i}}}""", session);
        }
    }

    public SessionEventStore Restart()
    {
        Store.Dispose();
        Store = new SessionEventStore(Options, Clock, Logger);
        return Store;
    }

    public void Dispose()
    {
        Store.Dispose();
        directory.Dispose();
    }
}
