using System.Collections;
using System.Globalization;
using Egov.Steering.ServiceDefaults.Validation;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Egov.Steering.ServiceDefaults.Web;

/// <summary>
/// A request message from a query string as JSON transcoding binds it (AIP-127): a field by its proto or JSON name,
/// nested fields with dots (<c>filter.event_types</c>), repeated fields by repeating the parameter, enums by name or
/// number; for the HTTP endpoints that are not transcoded (the event stream). Unknown or malformed parameters are
/// INVALID_ARGUMENT naming them.
/// </summary>
public static class QueryBinder
{
    public static TMessage Bind<TMessage>(IQueryCollection query, params string[] ignoredParameters)
        where TMessage : IMessage, new()
    {
        var message = new TMessage();
        var validator = new RequestValidator();
        foreach (var (key, values) in query)
        {
            if (!ignoredParameters.Contains(key, StringComparer.Ordinal) && Set(message, key.Split('.'), values) is { } problem)
            {
                validator.Add(key, problem);
            }
        }

        validator.ThrowIfInvalid();
        return message;
    }

    private static string? Set(IMessage message, ReadOnlySpan<string> path, StringValues values)
    {
        var name = path[0];
        var field = message.Descriptor.FindFieldByName(name)
            ?? message.Descriptor.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == name);
        if (field is null)
        {
            return "no such field";
        }

        if (path.Length > 1)
        {
            if (field.FieldType != FieldType.Message || field.IsRepeated || field.IsMap)
            {
                return "no such field";
            }

            if (field.Accessor.GetValue(message) is not IMessage child)
            {
                child = (IMessage)Activator.CreateInstance(field.MessageType.ClrType)!;
                field.Accessor.SetValue(message, child);
            }

            return Set(child, path[1..], values);
        }

        if (field.IsRepeated)
        {
            var list = (IList)field.Accessor.GetValue(message);
            foreach (var value in values)
            {
                if (Convert(field, value) is not { } converted)
                {
                    return Expected(field);
                }

                list.Add(converted);
            }

            return null;
        }

        if (values.Count != 1)
        {
            return "must be given once";
        }

        if (Convert(field, values[0]) is not { } single)
        {
            return Expected(field);
        }

        field.Accessor.SetValue(message, single);
        return null;
    }

    private static object? Convert(FieldDescriptor field, string? value)
    {
        value ??= string.Empty;
        var invariant = CultureInfo.InvariantCulture;
        return field.FieldType switch
        {
            FieldType.String => value,
            FieldType.Bool => bool.TryParse(value, out var b) ? b : null,
            FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => int.TryParse(value, NumberStyles.AllowLeadingSign, invariant, out var i) ? i : null,
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => long.TryParse(value, NumberStyles.AllowLeadingSign, invariant, out var l) ? l : null,
            FieldType.Enum => (field.EnumType.FindValueByName(value)?.Number
                    ?? (int.TryParse(value, NumberStyles.AllowLeadingSign, invariant, out var n) ? n : null)) is { } number
                ? Enum.ToObject(field.EnumType.ClrType, number)
                : null,
            _ => null,
        };
    }

    private static string Expected(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Bool => "must be true or false",
        FieldType.Enum => $"must be a value of {field.EnumType.FullName}",
        FieldType.String => "not a valid value",
        FieldType.Message => "not settable from a query parameter",
        _ => "must be an integer",
    };
}
