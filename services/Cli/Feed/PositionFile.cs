using System.Globalization;

namespace Egov.Steering.Cli.Feed;

/// <summary>
/// <c>--state-file</c>: the last feed position watch printed (or a heartbeat passed), so that a restarted watch resumes
/// by itself. Replaced atomically (write aside, then rename): a crash leaves the old position or the new, never half.
/// </summary>
public sealed class PositionFile(string path)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>
    /// The saved position; null when the file does not exist yet. A file that is not a position, or a folder that does
    /// not exist, is an error (found now rather than after the first event).
    /// </summary>
    public long? Read()
    {
        if (!File.Exists(Path))
        {
            return Directory.Exists(System.IO.Path.GetDirectoryName(Path))
                ? null
                : throw new InvalidDataException($"the folder of {Path} does not exist: create it, or pass another --state-file.");
        }

        var text = File.ReadAllText(Path).Trim();
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var position)
            ? position
            : throw new InvalidDataException($"{Path} does not hold a feed position (got '{text}'): delete it, or pass another --state-file.");
    }

    public void Write(long position)
    {
        var aside = Path + ".tmp";
        File.WriteAllText(aside, position.ToString(CultureInfo.InvariantCulture) + "\n");
        File.Move(aside, Path, overwrite: true);
    }
}
