using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Egov.Steering.Integration.Tests.Fuzz;

/// <summary>One request body to send and what it is, for the failure report.</summary>
public sealed record HostileRequest(string Kind, byte[] Body);

/// <summary>
/// Request bodies for a method's input type, written straight in the protobuf wire format from its descriptor (so
/// strings may be invalid UTF-8 or hold lone surrogates, which a generated client refuses to encode): plausible
/// values, hostile strings, sizes, out-of-range numbers, dates and timestamps, bad names and page tokens, and
/// malformed bytes. Everything follows from the <see cref="Random"/>, so a seed reproduces a run.
/// </summary>
public sealed class HostileRequests(Random random)
{
    private const int MaxDepth = 3;

    private static readonly string[] PlausibleStrings =
    [
        "", "committees/bcd-gia-lai", "people/p-1", "decisions/qd-1", "webhookSubscriptions/w-1", "national",
        "province-2020-64", "Nguyễn Văn A", "https://example.org/hook", "2020-01-01", "title", "display_name",
    ];

    private static readonly string[] HostileStrings =
    [
        "a\0b", "\0", "tab\there", "bell\u0007", "\u001b[31mred", "\u202Egnp.exe", "zero\u200Bwidth\uFEFF",
        "Nguye\u0302\u0303n", "e\u0301", "\uFFFD", "\uFFFF", "%00", "' OR 1=1 --", "{\"$gt\":\"\"}", "\r\n\r\nX-Injected: 1",
    ];

    private static readonly string[] BadNames =
    [
        "committees/", "committees/../people/p-1", "committees/BCD GIA LAI", "/committees/x", "committees/x/",
        "committees//x", "people/" + new string('a', 300), "decisions/qd-1?x=1", "committees/x%2Fy", "*",
    ];

    private static readonly string[] BadPageTokens = ["!!!", "AAAA", "eyJ9", "bm90LWEtdG9rZW4=", new string('Q', 3000), "\u00e9t\u00e9"];

    /// <summary>Bodies of every kind for <paramref name="input"/>; those that pick among many values three times.</summary>
    public IEnumerable<HostileRequest> For(MessageDescriptor input)
    {
        yield return new("empty", []);
        yield return new("plausible", Message(input, Mutation.None, 0));
        yield return new("nul and control characters, bidi and zero-width", Message(input, Mutation.HostileStrings, 0));
        yield return new("lone surrogate (UTF-8 of U+D800)", Message(input, Mutation.LoneSurrogate, 0));
        yield return new("invalid UTF-8", Message(input, Mutation.InvalidUtf8, 0));
        yield return new("20,000-character strings", Message(input, Mutation.HugeStrings, 0));
        for (var round = 0; round < 3; round++)
        {
            // The values these kinds pick differ from round to round.
            yield return new("out-of-range numbers, enums, dates and timestamps", Message(input, Mutation.ExtremeNumbers, 0));
            yield return new("bad resource names and page tokens", Message(input, Mutation.BadNames, 0));
        }

        yield return new("5,000 elements in every repeated field", Message(input, Mutation.ManyElements, 0));
        yield return new("raw: 0a 04 ff fe c3 28", [0x0a, 0x04, 0xff, 0xfe, 0xc3, 0x28]);
        yield return new("raw: random bytes", RandomBytes(random.Next(1, 200)));
        var plausible = Message(input, Mutation.None, 0);
        yield return new("raw: truncated", plausible.Length > 1 ? plausible[..random.Next(1, plausible.Length)] : [0x0a]);
        yield return new("raw: length beyond the end", [0x0a, 0xff, 0xff, 0x03, 0x41]);
        yield return new("raw: wrong wire types", WrongWireTypes(input));
        yield return new("raw: 150 nested groups", NestedGroups(150));
        yield return new("raw: 150 nested messages", NestedMessages(input, 150));
    }

    private enum Mutation
    {
        None,
        HostileStrings,
        LoneSurrogate,
        InvalidUtf8,
        HugeStrings,
        ExtremeNumbers,
        BadNames,
        ManyElements,
    }

    private byte[] Message(MessageDescriptor descriptor, Mutation mutation, int depth)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        foreach (var field in descriptor.Fields.InFieldNumberOrder())
        {
            // Plausible requests leave some fields out, hostile ones fill every field the mutation reaches.
            if (mutation == Mutation.None && random.Next(3) == 0)
            {
                continue;
            }

            // Many elements at the top only: nested, they would multiply into gigabytes.
            var count = !field.IsRepeated ? 1 : mutation == Mutation.ManyElements && depth == 0 ? 5_000 : random.Next(1, depth == 0 ? 4 : 2);
            for (var i = 0; i < count; i++)
            {
                WriteValue(output, field, mutation, depth);
            }
        }

        output.Flush();
        return buffer.ToArray();
    }

    private void WriteValue(CodedOutputStream output, FieldDescriptor field, Mutation mutation, int depth)
    {
        var extreme = mutation == Mutation.ExtremeNumbers;
        switch (field.FieldType)
        {
            case FieldType.String:
                output.WriteTag(field.FieldNumber, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(ByteString.CopyFrom(StringBytes(field, mutation)));
                break;
            case FieldType.Bytes:
                output.WriteTag(field.FieldNumber, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(ByteString.CopyFrom(RandomBytes(mutation == Mutation.HugeStrings ? 20_000 : random.Next(0, 40))));
                break;
            case FieldType.Message when depth < MaxDepth:
                output.WriteTag(field.FieldNumber, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(ByteString.CopyFrom(WellKnown(field.MessageType, mutation) ?? Message(field.MessageType, mutation, depth + 1)));
                break;
            case FieldType.Message or FieldType.Group:
                break;
            case FieldType.Bool:
                output.WriteTag(field.FieldNumber, WireFormat.WireType.Varint);
                output.WriteUInt64(extreme ? ulong.MaxValue : (ulong)random.Next(2));
                break;
            case FieldType.Enum:
                output.WriteTag(field.FieldNumber, WireFormat.WireType.Varint);
                var values = field.EnumType.Values;
                output.WriteEnum(extreme ? Pick(-1, int.MaxValue, int.MinValue, 99_999) : values[random.Next(values.Count)].Number);
                break;
            case FieldType.Float:
                output.WriteTag(field.FieldNumber, WireFormat.WireType.Fixed32);
                output.WriteFloat(extreme ? Pick(float.NaN, float.PositiveInfinity, float.MinValue, -0f) : random.Next(100));
                break;
            case FieldType.Double:
                output.WriteTag(field.FieldNumber, WireFormat.WireType.Fixed64);
                output.WriteDouble(extreme ? Pick(double.NaN, double.NegativeInfinity, double.MaxValue, double.Epsilon) : random.Next(100));
                break;
            case FieldType.Fixed32 or FieldType.SFixed32:
                output.WriteTag(field.FieldNumber, WireFormat.WireType.Fixed32);
                output.WriteFixed32(extreme ? Pick(uint.MaxValue, 0x8000_0000u) : (uint)random.Next(100));
                break;
            case FieldType.Fixed64 or FieldType.SFixed64:
                output.WriteTag(field.FieldNumber, WireFormat.WireType.Fixed64);
                output.WriteFixed64(extreme ? Pick(ulong.MaxValue, 0x8000_0000_0000_0000ul) : (ulong)random.Next(100));
                break;
            case FieldType.SInt32 or FieldType.SInt64:
                output.WriteTag(field.FieldNumber, WireFormat.WireType.Varint);
                output.WriteSInt64(extreme ? Pick(long.MinValue, long.MaxValue, int.MinValue) : random.Next(-5, 100));
                break;
            default: // int32, int64, uint32, uint64: one varint encoding
                output.WriteTag(field.FieldNumber, WireFormat.WireType.Varint);
                output.WriteInt64(extreme ? Pick(long.MinValue, long.MaxValue, int.MinValue, int.MaxValue, -1L, uint.MaxValue) : random.Next(0, 600));
                break;
        }
    }

    /// <summary>Timestamps, durations and dates in and far out of their ranges (e.g. ListEvents.start_time).</summary>
    private byte[]? WellKnown(MessageDescriptor type, Mutation mutation)
    {
        var extreme = mutation == Mutation.ExtremeNumbers;
        switch (type.FullName)
        {
            case "google.protobuf.Timestamp":
            case "google.protobuf.Duration":
                return Fields(
                    (1, extreme ? Pick(-99_999_999_999L, 99_999_999_999L, long.MinValue, 315_576_000_001L) : 1_600_000_000L + random.Next(100_000_000)),
                    (2, extreme ? Pick(2_000_000_000L, -1L, 1_000_000_000L, int.MinValue) : random.Next(1_000_000_000)));
            case "google.type.Date":
                return extreme
                    ? Pick(Fields((1, 10_000), (2, 1), (3, 1)), Fields((1, 2020), (2, 13), (3, 1)), Fields((1, 2021), (2, 2), (3, 29)),
                        Fields((1, -1), (2, -1), (3, -1)), Fields((1, 2020), (2, 0), (3, 5)), Fields((1, int.MaxValue), (2, int.MaxValue), (3, int.MaxValue)))
                    : Fields((1, random.Next(1990, 2030)), (2, random.Next(1, 13)), (3, random.Next(1, 29)));
            default:
                return null;
        }
    }

    private static byte[] Fields(params (int Number, long Value)[] fields)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        foreach (var (number, value) in fields)
        {
            output.WriteTag(number, WireFormat.WireType.Varint);
            output.WriteInt64(value);
        }

        output.Flush();
        return buffer.ToArray();
    }

    private byte[] StringBytes(FieldDescriptor field, Mutation mutation) => mutation switch
    {
        Mutation.HostileStrings => Encoding.UTF8.GetBytes(Pick(HostileStrings)),
        Mutation.LoneSurrogate => [.. "ab"u8, 0xED, 0xA0, 0x80, .. "cd"u8],
        Mutation.InvalidUtf8 => Pick<byte[]>([0xff, 0xfe, 0xc3, 0x28], [0xc0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x41, 0xe2, 0x82]),
        Mutation.HugeStrings => Encoding.UTF8.GetBytes(new string(Pick('a', 'ệ', '/'), 20_000)),
        Mutation.ManyElements => Encoding.UTF8.GetBytes("paths.to.field." + random.Next(10_000)),
        Mutation.BadNames => Encoding.UTF8.GetBytes(field.Name.Contains("token", StringComparison.Ordinal) ? Pick(BadPageTokens) : Pick(BadNames)),
        _ => Encoding.UTF8.GetBytes(Pick(PlausibleStrings)),
    };

    private byte[] WrongWireTypes(MessageDescriptor input)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        foreach (var field in input.Fields.InFieldNumberOrder())
        {
            var lengthDelimited = field.FieldType is FieldType.String or FieldType.Bytes or FieldType.Message;
            output.WriteTag(field.FieldNumber, lengthDelimited ? WireFormat.WireType.Fixed64 : WireFormat.WireType.LengthDelimited);
            if (lengthDelimited)
            {
                output.WriteFixed64(ulong.MaxValue);
            }
            else
            {
                output.WriteBytes(ByteString.CopyFrom(RandomBytes(8)));
            }
        }

        output.Flush();
        return buffer.ToArray();
    }

    // Unknown groups nest without any schema: a parser that skips them must stop at its recursion limit.
    private static byte[] NestedGroups(int depth)
    {
        var start = WireFormat.MakeTag(15, WireFormat.WireType.StartGroup);
        var end = WireFormat.MakeTag(15, WireFormat.WireType.EndGroup);
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        for (var i = 0; i < depth; i++)
        {
            output.WriteRawTag((byte)start);
        }

        for (var i = 0; i < depth; i++)
        {
            output.WriteRawTag((byte)end);
        }

        output.Flush();
        return buffer.ToArray();
    }

    // The first message field, nested in itself: known fields where the schema recurses, unknown ones elsewhere.
    private byte[] NestedMessages(MessageDescriptor input, int depth)
    {
        var number = input.Fields.InFieldNumberOrder().FirstOrDefault(f => f.FieldType == FieldType.Message)?.FieldNumber ?? 1;
        var body = Array.Empty<byte>();
        for (var i = 0; i < depth; i++)
        {
            using var buffer = new MemoryStream();
            var output = new CodedOutputStream(buffer);
            output.WriteTag(number, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(body));
            output.Flush();
            body = buffer.ToArray();
        }

        return body;
    }

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private T Pick<T>(params T[] values) => values[random.Next(values.Length)];
}
