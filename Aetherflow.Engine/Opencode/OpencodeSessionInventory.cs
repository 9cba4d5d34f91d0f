using Aetherflow.Engine.Sessions;

namespace Aetherflow.Engine.Opencode;

/// <summary>The live sessions of one opencode server, for rebuilding a damaged registry and marking stale records.</summary>
public sealed class OpencodeSessionInventory : ISessionInventory
{
    private readonly OpencodeClient client;
    private readonly string serverRef;

    public OpencodeSessionInventory(OpencodeClient client, string serverRef)
    {
        this.client = client;
        this.serverRef = serverRef;
    }

    public async Task<LiveSessionList> ListLiveSessionsAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<OpencodeSession> sessions = await client.ListSessionsAsync(null, cancellationToken).ConfigureAwait(false);
        IReadOnlyDictionary<string, OpencodeSessionStatus> statuses = await client.GetSessionStatusAsync(null, cancellationToken).ConfigureAwait(false);
        return new LiveSessionList(
            [serverRef],
            sessions.Select(s => new LiveSession
            {
                ServerRef = serverRef,
                SessionId = s.Id,
                Directory = s.Directory,
                Title = s.Title,
                Metadata = Metadata(s),
                Busy = statuses.TryGetValue(s.Id, out OpencodeSessionStatus? status) && !status.IsIdle,
                CreatedAt = s.Created,
            }).ToList());
    }

    private static Dictionary<string, string> Metadata(OpencodeSession session)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string key in new[] { SessionMetadataKeys.Agent, SessionMetadataKeys.Task, SessionMetadataKeys.Origin, SessionMetadataKeys.Project })
        {
            if (session.MetadataValue(key) is { } value)
            {
                metadata[key] = value;
            }
        }

        return metadata;
    }
}
