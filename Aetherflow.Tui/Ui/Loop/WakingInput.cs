using Terminal.Gui.Drivers;

namespace Aetherflow.Tui.Ui.Loop;

/// <summary>
/// Terminal.Gui's ANSI input, but the input thread sleeps in <c>poll()</c> until the terminal has input (Terminal.Gui's
/// own loop wakes every 20 ms to look, with a spinning wait), and the UI thread is woken as soon as input is queued.
/// Falls back to Terminal.Gui's polling when stdin is not a terminal in raw mode.
/// </summary>
internal sealed class WakingInput : AnsiInput
{
    // A bound on each sleep, so that Terminal.Gui stopping the input thread without Interrupt (a crash handler
    // disposing the application) still ends within this time rather than hanging.
    private const int PollTimeoutMs = 500;
    private static readonly byte[] OneByte = [1];
    private readonly Action inputQueued;
    private readonly TerminalPoll.PollFd[] fds;
    private readonly int[] pipe = [-1, -1];
    private readonly Lock pipeLock = new();
    private volatile bool interrupted;
    private bool blocking;
    private bool readAfterPoll;

    /// <param name="inputQueued">Called on the input thread after input read from the terminal has been queued.</param>
    public WakingInput(Action inputQueued)
    {
        this.inputQueued = inputQueued;
        blocking = IsAttachedToTerminal && !OperatingSystem.IsWindows() && TerminalPoll.IsATty(TerminalPoll.StdIn) == 1 && TerminalPoll.Pipe(pipe) == 0;
        fds =
        [
            new TerminalPoll.PollFd { Fd = TerminalPoll.StdIn, Events = TerminalPoll.PollIn },
            new TerminalPoll.PollFd { Fd = pipe[0], Events = TerminalPoll.PollIn },
        ];
    }

    /// <summary>Stops sleeping for good, so the input thread notices Terminal.Gui stopping it at once.</summary>
    public void Interrupt()
    {
        interrupted = true;
        lock (pipeLock)
        {
            if (pipe[1] >= 0)
            {
                _ = TerminalPoll.Write(pipe[1], OneByte, 1);
            }
        }
    }

    public override bool Peek()
    {
        if (base.Peek())
        {
            return true;
        }

        if (!blocking || interrupted)
        {
            return false;
        }

        fds[0].REvents = 0;
        fds[1].REvents = 0;
        if (TerminalPoll.Poll(fds, (nuint)fds.Length, PollTimeoutMs) <= 0 || fds[1].REvents != 0)
        {
            return false;
        }

        if ((fds[0].REvents & TerminalPoll.PollIn) != 0)
        {
            readAfterPoll = true;
            return true;
        }

        // Hung up or invalid: there will be no input; stop sleeping on it rather than spin on its readiness.
        blocking = (fds[0].REvents & (TerminalPoll.PollHup | TerminalPoll.PollErr | TerminalPoll.PollNval)) == 0;
        return false;
    }

    public override IEnumerable<char> Read()
    {
        bool any = false;
        foreach (char c in base.Read())
        {
            any = true;
            yield return c;
        }

        // Reached after the input loop has queued the last character.
        if (any)
        {
            inputQueued();
        }
        else if (readAfterPoll)
        {
            // poll() said readable but Terminal.Gui read nothing (it is not reading this terminal): sleeping on it
            // would spin, so poll the way Terminal.Gui does.
            blocking = false;
        }

        readAfterPoll = false;
    }

    public override void Dispose()
    {
        base.Dispose();
        lock (pipeLock)
        {
            for (int i = 0; i < pipe.Length; i++)
            {
                if (pipe[i] >= 0)
                {
                    _ = TerminalPoll.Close(pipe[i]);
                    pipe[i] = -1;
                }
            }
        }
    }
}
