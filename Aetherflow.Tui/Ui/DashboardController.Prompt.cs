using Aetherflow.Tui.Ui.Shell;
using Aetherflow.Tui.Ui.Widgets;
using Terminal.Gui.Input;

namespace Aetherflow.Tui.Ui;

/// <summary>The input bars: <c>:</c> commands, <c>/</c> filters (applied while typing) and <c>s</c> steering messages.</summary>
internal sealed partial class DashboardController
{
    /// <summary>The open input bar, if any (tests).</summary>
    public Prompt? OpenPrompt => prompt;

    private void Open(Prompt next)
    {
        prompt = next;
        Shell.Status.Prompt = next;
        RenderFooter();
    }

    private void Close()
    {
        prompt = null;
        Shell.Status.Prompt = null;
        RenderFooter();
    }

    private void OpenFilter()
    {
        var bar = new Prompt(PromptKind.Filter, "/", null);
        bar.Editor.Set(Current.Filter?.Text ?? string.Empty);
        Open(bar);
    }

    private void HandlePromptKey(Key key)
    {
        Prompt bar = prompt!;
        if (key == Key.Esc)
        {
            Close();
            if (bar.Kind == PromptKind.Filter)
            {
                Current.ApplyFilter(null);
            }

            return;
        }

        if (key == Key.Enter)
        {
            Submit(bar);
            return;
        }

        if (key == Key.Tab)
        {
            if (bar.Kind == PromptKind.Command)
            {
                bar.Editor.Set(CommandCatalog.Complete(bar.Editor.Text));
            }
        }
        else if (key == Key.CursorUp || key == Key.CursorDown)
        {
            string? entry = key == Key.CursorUp ? bar.History?.Older() : bar.History?.Newer();
            if (entry is not null)
            {
                bar.Editor.Set(entry);
            }
        }
        else if (key == Key.Backspace && bar.Editor.Text.Length == 0)
        {
            // Backspace on an empty bar closes it, as in k9s.
            Close();
            if (bar.Kind == PromptKind.Filter)
            {
                Current.ApplyFilter(null);
            }

            return;
        }
        else if (!bar.Editor.Apply(key))
        {
            return;
        }

        AfterEdit();
    }

    private void AfterEdit()
    {
        if (prompt is { Kind: PromptKind.Filter } bar)
        {
            Current.ApplyFilter(TextFilter.Parse(bar.Editor.Text));
        }

        Shell.Status.SetNeedsDraw();
    }

    private void Submit(Prompt bar)
    {
        Close();
        string text = bar.Editor.Text.Trim();
        switch (bar.Kind)
        {
            case PromptKind.Command:
                state.Commands.Add(text);
                RunCommand(text);
                break;
            case PromptKind.Filter:
                TextFilter? filter = TextFilter.Parse(bar.Editor.Text);
                Current.ApplyFilter(filter);
                if (filter is { Literal: true })
                {
                    Flash($"'{filter.Text}' is not a valid regular expression; matching it as plain text", FlashKind.Warning);
                }

                break;
            case PromptKind.Steer:
                if (text.Length == 0)
                {
                    Flash("nothing sent: the message was empty", FlashKind.Info);
                    break;
                }

                state.Messages.Add(text);
                Steer(bar.Target!, text);
                break;
        }
    }
}
