using System.Globalization;
using Aetherflow.Engine.Config;
using Aetherflow.Engine.Platform;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Sessions;

/// <summary>
/// Runs each registry operation as one transaction on <c>sessions.json</c>: in-process turn, exclusive <c>flock</c> on
/// <c>sessions.json.lock</c> across processes, read, change, and — only when something changed — an atomic,
/// durable replace (temp file in the same folder, fsync, rename, fsync of the folder). A file that is not a registry
/// is moved aside and rebuilt from the live servers instead of failing the operation.
/// </summary>
internal sealed class SessionFileStore
{
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly SessionRegistryOptions options;
    private readonly ISessionInventory? inventory;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly SemaphoreSlim turn = new(1, 1);
    private string? lastUnreadableWarning;

    public SessionFileStore(SessionRegistryOptions options, ISessionInventory? inventory, TimeProvider timeProvider, ILogger logger)
    {
        this.options = options;
        this.inventory = inventory;
        this.timeProvider = timeProvider;
        this.logger = logger;
        FilePath = Path.Combine(options.Directory, SessionRegistry.FileName);
        LockPath = Path.Combine(options.Directory, SessionRegistry.LockFileName);
    }

    public string FilePath { get; }

    public string LockPath { get; }

    public DateTimeOffset Now => timeProvider.GetUtcNow();

    /// <summary>
    /// Runs <paramref name="operation"/> on the current document under both locks; it returns its result and whether it
    /// changed the document (which is then written).
    /// </summary>
    public async Task<T> ExecuteAsync<T>(Func<SessionDocument, DateTimeOffset, (T Result, bool Changed)> operation, CancellationToken cancellationToken)
    {
        await turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            PrivateDirectory.Ensure(options.Directory);
            using AdvisoryFileLock fileLock =
                await AdvisoryFileLock.TryAcquireAsync(LockPath, options.LockTimeout, timeProvider, logger, cancellationToken).ConfigureAwait(false)
                ?? throw new SessionRegistryException(
                    $"the session registry is locked: another process has held {LockPath} for over {DurationText.Format(options.LockTimeout)}; " +
                    $"if an aetherflow process is stuck, stop it (find it with 'fuser {LockPath}') and retry");

            (SessionDocument document, bool rebuilt) = await LoadAsync(cancellationToken).ConfigureAwait(false);
            (T result, bool changed) = operation(document, timeProvider.GetUtcNow());
            if (changed || rebuilt)
            {
                await SaveAsync(document, cancellationToken).ConfigureAwait(false);
            }

            return result;
        }
        finally
        {
            turn.Release();
        }
    }

    private async Task<(SessionDocument Document, bool Rebuilt)> LoadAsync(CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(FilePath);
            if (!info.Exists)
            {
                return (SessionDocument.Empty(), false);
            }

            if (info.Length > SessionDocument.MaxBytes)
            {
                return (await RecoverAsync($"it is larger than {SessionDocument.MaxBytes / (1024 * 1024)} MiB", cancellationToken).ConfigureAwait(false), true);
            }

            bytes = await File.ReadAllBytesAsync(FilePath, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return (SessionDocument.Empty(), false);
        }

        SessionDocument document;
        try
        {
            document = SessionDocument.Parse(bytes);
        }
        catch (SessionFileCorruptException ex)
        {
            return (await RecoverAsync(ex.Message, cancellationToken).ConfigureAwait(false), true);
        }

        if (document.SchemaVersion > SessionDocument.CurrentVersion)
        {
            throw new SessionRegistryException(
                $"{FilePath} has schema version {document.SchemaVersion}, written by a newer aetherflow (this one reads version " +
                $"{SessionDocument.CurrentVersion}); upgrade aetherflow, or set session_dir to another folder");
        }

        WarnAboutUnreadable(document);
        return (document, false);
    }

    /// <summary>Moves the bad file aside (never deleting it) and rebuilds the registry from the live servers.</summary>
    private async Task<SessionDocument> RecoverAsync(string reason, CancellationToken cancellationToken)
    {
        string aside = AsidePath();
        File.Move(FilePath, aside, overwrite: false);
        UnixFiles.SyncDirectory(options.Directory);
        if (inventory is null)
        {
            logger.LogWarning(
                "{File} could not be read ({Reason}); moved it to {Aside} and started an empty registry (no live session inventory here)",
                FilePath, reason, aside);
            return SessionDocument.Empty();
        }

        LiveSessionList live;
        using (var timeout = new CancellationTokenSource(options.InventoryTimeout, timeProvider))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
        {
            try
            {
                live = await inventory.ListLiveSessionsAsync(linked.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(
                    ex,
                    "{File} could not be read ({Reason}); moved it to {Aside} and started an empty registry, because the live sessions could not be listed: {Error}",
                    FilePath, reason, aside, ex.Message);
                return SessionDocument.Empty();
            }
        }

        SessionDocument rebuilt = SessionDocument.Empty();
        DateTimeOffset now = timeProvider.GetUtcNow();
        int foreign = 0;
        foreach (LiveSession session in live.Sessions)
        {
            if (LiveSessionRecords.ToRecord(session, now, out string? problem) is { } record)
            {
                if (rebuilt.IndexOf(record.ServerRef, record.SessionId) < 0)
                {
                    rebuilt.Records.Add(StoredSessionRecord.New(record));
                }
            }
            else if (problem is null)
            {
                foreign++;
            }
            else
            {
                logger.LogWarning("Live session {SessionId} on {Server} was not restored into the session registry: {Problem}",
                    SessionFields.Quote(session.SessionId), session.ServerRef, problem);
            }
        }

        logger.LogWarning(
            "{File} could not be read ({Reason}); moved it to {Aside} and rebuilt the registry with {Count} aetherflow sessions from the live servers ({Foreign} other sessions left out)",
            FilePath, reason, aside, rebuilt.Records.Count, foreign);
        return rebuilt;
    }

    private string AsidePath()
    {
        string stamp = timeProvider.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        string path = $"{FilePath}.corrupt-{stamp}";
        for (int n = 2; File.Exists(path); n++)
        {
            path = $"{FilePath}.corrupt-{stamp}-{n}";
        }

        return path;
    }

    private async Task SaveAsync(SessionDocument document, CancellationToken cancellationToken)
    {
        byte[] bytes = document.Serialize();
        string temp = Path.Combine(options.Directory, $".sessions-{Guid.NewGuid():N}.json.tmp");
        try
        {
            var stream = new FileStream(temp, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                UnixCreateMode = PrivateFile,
            });
            await using (stream.ConfigureAwait(false))
            {
                File.SetUnixFileMode(stream.SafeFileHandle, PrivateFile);
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);

                // fsync before the rename: otherwise a crash can leave the new name pointing at empty blocks.
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, FilePath, overwrite: true);
        }
        catch
        {
            DeleteTemp(temp);
            throw;
        }

        UnixFiles.SyncDirectory(options.Directory);
    }

    private void DeleteTemp(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (IOException ex)
        {
            logger.LogWarning(ex, "Could not remove the temporary file {Temp}: {Error}", temp, ex.Message);
        }
    }

    private void WarnAboutUnreadable(SessionDocument document)
    {
        var unreadable = document.Records.Select((r, i) => (r.Problem, Index: i)).Where(r => r.Problem is not null).ToList();
        string? warning = unreadable.Count == 0
            ? null
            : $"{unreadable.Count} record(s) in {FilePath} cannot be used (record {unreadable[0].Index}: {unreadable[0].Problem}); they are kept in the file but ignored";
        if (warning is not null && warning != lastUnreadableWarning)
        {
            logger.LogWarning("{Warning}", warning);
        }

        lastUnreadableWarning = warning;
    }
}
