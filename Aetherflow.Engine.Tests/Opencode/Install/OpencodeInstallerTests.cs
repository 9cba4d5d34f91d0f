using Aetherflow.Engine.Hosting;
using Aetherflow.Engine.Opencode.Install;
using Aetherflow.Engine.Tests.Support;

namespace Aetherflow.Engine.Tests.Opencode.Install;

/// <summary>
/// Finding or installing opencode. npm is a stand-in script on a PATH of the test's own, so no test ever reaches the
/// network: it records its arguments and installs a fake opencode where <c>npm install --prefix</c> would.
/// </summary>
public sealed class OpencodeInstallerTests
{
    private TempDirectory root = null!;

    private string Bin => root.Combine("bin");

    private string Cache => root.Combine("cache", "aetherflow", "opencode");

    private string NpmLog => root.Combine("npm.log");

    [SetUp]
    public void CreateRoot()
    {
        root = new TempDirectory("afinst");
        Directory.CreateDirectory(Bin);
    }

    [TearDown]
    public void DeleteRoot() => root.Dispose();

    [Test]
    public async Task Without_opencode_the_pinned_version_is_installed_with_npm_into_the_cache_with_progress()
    {
        WriteNpm(exitCode: 0);
        var progress = new List<OpencodeInstallProgress>();

        string path = await Installer().EnsureAsync("opencode", new SyncProgress(progress.Add), CancellationToken.None);

        Assert.That(path, Is.EqualTo(Path.Combine(Cache, "node_modules", ".bin", "opencode")));
        Assert.That(File.Exists(path), Is.True);
        string args = File.ReadAllText(NpmLog).Trim();
        Assert.That(args, Does.StartWith("install --prefix " + Cache + ".installing-"), "npm works in a staging folder next to the cache folder");
        Assert.That(args, Does.EndWith("--no-audit --no-fund --no-save --loglevel=error opencode-ai@1.18.33"));
        Assert.That(progress.Select(p => p.Stage).First(), Is.EqualTo(OpencodeInstallStage.Started));
        Assert.That(progress.Select(p => p.Stage).Last(), Is.EqualTo(OpencodeInstallStage.Finished));
        Assert.That(progress[0].Package, Is.EqualTo("opencode-ai@1.18.33"));
        Assert.That(progress[0].Directory, Is.EqualTo(Cache));
        Assert.That(Directory.GetDirectories(Path.GetDirectoryName(Cache)!), Is.EqualTo(new[] { Cache }), "no staging folder is left behind");
    }

    [Test]
    public async Task An_existing_install_in_the_cache_is_reused_without_npm()
    {
        WriteNpm(exitCode: 0);
        string installed = WriteExecutable(Path.Combine(Cache, "node_modules", ".bin", "opencode"), "#!/bin/sh\necho cached\n");

        string path = await Installer().EnsureAsync("opencode", null, CancellationToken.None);

        Assert.That(path, Is.EqualTo(installed));
        Assert.That(File.Exists(NpmLog), Is.False, "npm was not run");
    }

    [Test]
    public async Task Opencode_on_path_is_used_as_it_is()
    {
        WriteNpm(exitCode: 0);
        string onPath = WriteExecutable(Path.Combine(Bin, "opencode"), "#!/bin/sh\necho mine\n");

        string path = await Installer().EnsureAsync("opencode", null, CancellationToken.None);

        Assert.That(path, Is.EqualTo(onPath));
        Assert.That(File.Exists(NpmLog), Is.False);
        Assert.That(Directory.Exists(Cache), Is.False);
    }

    [Test]
    public async Task Without_opencode_and_without_npm_the_error_says_to_install_one_of_them()
    {
        OpencodeInstallException? error = await Assert.ThrowsAsync<OpencodeInstallException>(() => Installer().EnsureAsync("opencode", null, CancellationToken.None));

        Assert.That(error!.Message, Does.StartWith("opencode is not installed and npm is missing"));
        Assert.That(error.Message, Does.Contain("install Node.js with npm").And.Contain("https://opencode.ai"));
        Assert.That(error.Message, Does.Not.Contain('\n'));
    }

    [Test]
    public async Task A_failing_npm_is_reported_with_its_last_error_line_and_leaves_nothing_behind()
    {
        WriteNpm(exitCode: 1);

        OpencodeInstallException? error = await Assert.ThrowsAsync<OpencodeInstallException>(() => Installer().EnsureAsync("opencode", null, CancellationToken.None));

        Assert.That(error!.Message, Does.StartWith("installing opencode-ai@1.18.33 with npm failed (exit code 1): npm error network request failed"));
        Assert.That(Directory.Exists(Cache), Is.False);
        Assert.That(Directory.GetDirectories(Path.GetDirectoryName(Cache)!), Is.Empty, "the staging folder was removed");
    }

    [Test]
    public async Task A_configured_path_that_does_not_exist_is_an_error_not_an_install()
    {
        WriteNpm(exitCode: 0);

        OpencodeInstallException? error = await Assert.ThrowsAsync<OpencodeInstallException>(() => Installer().EnsureAsync("/nowhere/opencode", null, CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("opencode_bin '/nowhere/opencode' does not exist"));
        Assert.That(File.Exists(NpmLog), Is.False);
    }

    private OpencodeInstaller Installer() => new(new OpencodeInstallerOptions
    {
        InstallDirectory = Cache,
        Environment = new HostEnvironment(new Dictionary<string, string> { ["PATH"] = Bin, ["HOME"] = root.Path }),
    });

    // npm's stand-in: logs its arguments; on success creates <prefix>/node_modules/.bin/opencode like the real package.
    private void WriteNpm(int exitCode) => WriteExecutable(Path.Combine(Bin, "npm"), $$"""
        #!/bin/sh
        PATH=/usr/bin:/bin
        echo "$*" > '{{NpmLog}}'
        if [ {{exitCode}} -ne 0 ]; then
          echo "npm error code ENOTFOUND" >&2
          echo "npm error network request failed" >&2
          exit {{exitCode}}
        fi
        prefix=$3
        mkdir -p "$prefix/node_modules/.bin"
        printf '#!/bin/sh\necho 1.18.33\n' > "$prefix/node_modules/.bin/opencode"
        chmod +x "$prefix/node_modules/.bin/opencode"
        """);

    private static string WriteExecutable(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private sealed class SyncProgress(Action<OpencodeInstallProgress> report) : IProgress<OpencodeInstallProgress>
    {
        public void Report(OpencodeInstallProgress value) => report(value);
    }
}
