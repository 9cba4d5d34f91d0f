using Terminal.Gui.App;

namespace Aetherflow.Tui.Ui.Shell;

/// <summary>The UI thread's queue and timers (Terminal.Gui's), so views can post results and schedule work.</summary>
internal sealed class UiLoop
{
    private readonly IApplication app;

    public UiLoop(IApplication app)
    {
        this.app = app;
    }

    /// <summary>Runs <paramref name="action"/> on the UI thread soon; callable from any thread.</summary>
    public void Post(Action action) => app.Invoke(action);

    /// <summary>Runs <paramref name="action"/> on the UI thread after <paramref name="delay"/> (UI clock); dispose to cancel.</summary>
    public IDisposable After(TimeSpan delay, Action action)
    {
        object? token = app.AddTimeout(delay, () =>
        {
            action();
            return false;
        });
        return new Cancel(app, token);
    }

    /// <summary>Runs <paramref name="tick"/> every <paramref name="period"/> until it returns false or the handle is disposed.</summary>
    public IDisposable Every(TimeSpan period, Func<bool> tick) => new Cancel(app, app.AddTimeout(period, tick));

    private sealed class Cancel : IDisposable
    {
        private readonly IApplication app;
        private object? token;

        public Cancel(IApplication app, object? token)
        {
            this.app = app;
            this.token = token;
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref token, null) is { } pending)
            {
                app.RemoveTimeout(pending);
            }
        }
    }
}
