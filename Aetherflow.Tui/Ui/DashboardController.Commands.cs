using Aetherflow.Engine.Api;
using Aetherflow.Tui.Ui.Keys;
using Aetherflow.Tui.Ui.Shell;
using Aetherflow.Tui.Ui.Views;

namespace Aetherflow.Tui.Ui;

/// <summary>The <c>:</c> commands.</summary>
internal sealed partial class DashboardController
{
    private void RunCommand(string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        int space = text.IndexOf(' ', StringComparison.Ordinal);
        string word = space < 0 ? text : text[..space];
        string argument = space < 0 ? string.Empty : text[(space + 1)..].Trim();
        CommandSpec? command = CommandCatalog.Find(word);
        if (command is null)
        {
            string? closest = CommandCatalog.Closest(word);
            Flash($"unknown command ':{word}'{(closest is null ? string.Empty : $" (did you mean :{closest}?)")}; ? lists the commands", FlashKind.Error);
            return;
        }

        if (command.Mutates && options.ReadOnly)
        {
            Flash($"read-only mode: :{command.Name} is disabled", FlashKind.Warning);
            return;
        }

        switch (command.Name)
        {
            case "agents":
                PopToRoot();
                Root.Activate(0);
                break;
            case "queue":
                PopToRoot();
                Root.Activate(1);
                break;
            case "sessions":
                if (Current is not SessionsView)
                {
                    Push(new SessionsView(context));
                }

                break;
            case "spawn" when argument.Length == 0:
                Flash("usage: :spawn <prompt> — the prompt is what the agent should do", FlashKind.Error);
                break;
            case "spawn":
                Spawn(argument);
                break;
            case "drain":
                SetMode(PoolMode.Draining);
                break;
            case "pause":
                SetMode(PoolMode.Paused);
                break;
            case "resume":
                SetMode(PoolMode.Active);
                break;
            case "help":
                Execute(ActionId.Help);
                break;
            case "quit":
                Quit(ask: true);
                break;
            case "q!":
                Quit(ask: false);
                break;
        }

        RenderFooter();
    }
}
