using Aetherflow.Tui.Ui.Shell;
using Terminal.Gui.Input;

namespace Aetherflow.Tui.Tests.Ui.Widgets;

public sealed class LineEditorTests
{
    [Test]
    public void Edits_at_the_cursor()
    {
        var editor = new LineEditor();
        editor.Insert("hello world");

        editor.Apply(Key.W.WithCtrl);
        editor.Apply(Key.CursorLeft);
        editor.Apply(Key.Backspace);
        editor.Apply(Key.Home);
        editor.Apply(new Key('>'));

        Assert.That(editor.Text, Is.EqualTo(">hell "));
        Assert.That(editor.Cursor, Is.EqualTo(1));
    }

    [Test]
    public void Ctrl_u_clears_before_the_cursor_and_emoji_are_one_step()
    {
        var editor = new LineEditor();
        editor.Insert("ab👍🏽cd");
        editor.Apply(Key.CursorLeft);
        editor.Apply(Key.CursorLeft);
        editor.Apply(Key.Backspace);

        Assert.That(editor.Text, Is.EqualTo("abcd"));
        editor.Apply(Key.U.WithCtrl);
        Assert.That(editor.Text, Is.EqualTo("cd"));
    }

    [Test]
    public void Inserted_text_loses_control_characters() 
    {
        var editor = new LineEditor();

        editor.Insert("a\u001b[31mb\nc");

        Assert.That(editor.Text, Is.EqualTo("ab c"));
    }

    [Test]
    public void Unknown_keys_are_not_editing_keys() => Assert.That(new LineEditor().Apply(Key.F5), Is.False);
}
