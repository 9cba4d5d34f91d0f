using System.IO.Pipes;
using Aetherflow.Engine.Api;
using Aetherflow.Engine.Events;
using Aetherflow.Engine.Opencode.Events;
using Aetherflow.Engine.Tests.Events;
using Aetherflow.Engine.Tests.Support;
using static Aetherflow.Engine.Tests.Opencode.Events.OpencodeSamples;

namespace Aetherflow.Engine.Tests.Opencode.Events;

/// <summary>The whole pipeline over a real pipe: SSE → parse → sequence → ring → journal → notify, plus derived state.</summary>
public sealed class EventPipelineTests
{
    [Test]
    public async Task A_streamed_session_is_stored_once_in_order_without_deltas_and_survives_a_restart()
    {
        using var fixture = new StoreFixture();
        using var tracker = new AgentStateTracker(Session, new AgentStateTrackerOptions(), fixture.Clock, new RecordingLogger<AgentStateTracker>());
        var notified = new List<long>();
        fixture.Store.Appended += (_, args) => notified.AddRange(args.Events.Select(e => e.Sequence));
        using SessionEventSubscription subscription = fixture.Store.Subscribe(Session, 0);

        using (var server = new AnonymousPipeServerStream(PipeDirection.Out))
        using (var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle))
        {
            Task writer = Task.Run(async () =>
            {
                foreach (string data in BashSession())
                {
                    await server.WriteAsync(Utf8("data: " + data + "\n\n"));
                }

                server.Dispose();
            });

            var reader = new OpencodeEventStreamReader(new RecordingLogger<OpencodeEventStreamReader>());
            await foreach (OpencodeEvent item in reader.ReadAllAsync(client, CancellationToken.None))
            {
                using (item)
                {
                    if (item.IsStored)
                    {
                        fixture.Store.Append(item.SessionId!, item.Type, item.PropertiesUtf8, fixture.Clock.GetUtcNow());
                    }

                    tracker.Apply(item, fixture.Clock.GetUtcNow());
                }
            }

            await writer;
        }

        var live = new List<SessionEvent>();
        while (live.Count < 25)
        {
            live.AddRange((await Eventually.WithinAsync(subscription.ReadAsync(100, CancellationToken.None).AsTask(), "subscribed events")).Events);
        }

        var afterRestart = fixture.Restart().Read(Session, 0, 1000);
        Assert.Multiple(() =>
        {
            Assert.That(live.Select(e => e.Sequence), Is.EqualTo(Enumerable.Range(1, 25).Select(i => (long)i)));
            Assert.That(notified, Is.EqualTo(live.Select(e => e.Sequence)));
            Assert.That(live.Select(e => e.Type), Has.None.EqualTo("message.part.delta").And.None.EqualTo("session.diff").And.None.EqualTo("server.heartbeat"));
            Assert.That(live[0].Type, Is.EqualTo("session.created"));
            Assert.That(live[^1].Type, Is.EqualTo("session.updated"));
            Assert.That(afterRestart.Events.Select(e => (e.Sequence, e.Type)), Is.EqualTo(live.Select(e => (e.Sequence, e.Type))));
            Assert.That(tracker.Snapshot.Activity, Is.EqualTo(AgentActivity.Idle));
            Assert.That(tracker.Snapshot.Outcome?.Kind, Is.EqualTo(SessionOutcomeKind.Succeeded));
            Assert.That(fixture.Store.ListJournaledSessions(), Is.EqualTo(new[] { Session }), "nothing was filed under a message id");
        });
    }
}
