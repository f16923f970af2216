namespace Egov.Steering.Access;

/// <summary>
/// Where the running sandbox leaves its gRPC address for steeringctl (one line, e.g. <c>http://127.0.0.1:5200</c>):
/// started on other ports, it still needs no <c>--address</c>. By default a file in the user's configuration folder,
/// the same for every working directory; <see cref="Variable"/> names another.
/// </summary>
public static class SandboxAddressFile
{
    public const string Variable = "STEERING_SANDBOX_ADDRESS_FILE";

    /// <summary>
    /// <see cref="Variable"/>, else <c>$XDG_CONFIG_HOME/egov-steering/sandbox-address</c> (<c>~/.config</c> when unset;
    /// <c>%APPDATA%</c> on Windows); null when <paramref name="environment"/> names no folder at all.
    /// </summary>
    public static string? PathFrom(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (NonEmpty(environment(Variable)) is { } file)
        {
            return file;
        }

        var configFolder = NonEmpty(environment("XDG_CONFIG_HOME"))
            ?? (NonEmpty(environment("HOME")) is { } home ? Path.Combine(home, ".config") : null)
            ?? NonEmpty(environment("APPDATA"));
        return configFolder is null ? null : Path.Combine(configFolder, "egov-steering", "sandbox-address");
    }

    /// <summary>Writes <paramref name="address"/> at once (a reader never sees half a line).</summary>
    public static void Write(string path, Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var written = path + "." + Environment.ProcessId + ".tmp";
        File.WriteAllText(written, address + Environment.NewLine);
        File.Move(written, path, overwrite: true);
    }

    /// <summary>The text of the file, trimmed; null when there is none.</summary>
    public static string? Read(string path) => File.Exists(path) ? NonEmpty(File.ReadAllText(path).Trim()) : null;

    /// <summary>Deletes the file if it still holds <paramref name="address"/> (a sandbox started since keeps its own).</summary>
    public static void DeleteIfHolding(string path, Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (Read(path) == address.ToString())
        {
            File.Delete(path);
        }
    }

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
