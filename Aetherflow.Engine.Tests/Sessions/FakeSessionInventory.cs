using Aetherflow.Engine.Sessions;

namespace Aetherflow.Engine.Tests.Sessions;

/// <summary>A scripted <see cref="ISessionInventory"/>: fixed answers, an error, or a callback run while it is asked.</summary>
public sealed class FakeSessionInventory : ISessionInventory
{
    public List<string> ServerRefs { get; } = [];

    public List<LiveSession> Sessions { get; } = [];

    public Exception? Failure { get; set; }

    /// <summary>Runs inside <see cref="ListLiveSessionsAsync"/>, before it answers.</summary>
    public Func<CancellationToken, Task>? WhileAsked { get; set; }

    public int Calls { get; private set; }

    public FakeSessionInventory Add(string serverRef, string sessionId, bool busy = false, Dictionary<string, string>? metadata = null, string? directory = null)
    {
        if (!ServerRefs.Contains(serverRef))
        {
            ServerRefs.Add(serverRef);
        }

        Sessions.Add(new LiveSession
        {
            ServerRef = serverRef,
            SessionId = sessionId,
            Busy = busy,
            Metadata = metadata ?? [],
            Directory = directory,
            Title = $"title of {sessionId}",
        });
        return this;
    }

    public async Task<LiveSessionList> ListLiveSessionsAsync(CancellationToken cancellationToken)
    {
        Calls++;
        if (WhileAsked is not null)
        {
            await WhileAsked(cancellationToken);
        }

        if (Failure is not null)
        {
            throw Failure;
        }

        return new LiveSessionList(ServerRefs.ToList(), Sessions.ToList());
    }
}
