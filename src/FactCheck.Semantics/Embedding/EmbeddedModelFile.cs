using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace FactCheck.Semantics.Embedding;

/// <summary>
/// A model file that ships as a resource inside a package's assembly, copied once to a file that ONNX Runtime loads.
/// Loading from a path spares the process two copies of the weights: the managed byte array the package's own encoder
/// reads the resource into (which stays on the large object heap until a full collection), and the resident pages of
/// the assembly image that reading it maps in. The resource is read from the assembly file through a mapping that is
/// closed again, never through the loaded image.
/// </summary>
internal static class EmbeddedModelFile
{
    /// <summary>The path of <paramref name="resourceName"/> of <paramref name="assembly"/> in <paramref name="directory"/>,
    /// written there first unless an earlier start (of this or another process) left it complete.</summary>
    public static string Extract(Assembly assembly, string resourceName, string directory, string fileName)
    {
        var path = Path.Combine(directory, fileName);
        using var pe = new PEReader(File.OpenRead(assembly.Location));
        var metadata = pe.GetMetadataReader();
        var resource = metadata.ManifestResources.Select(metadata.GetManifestResource)
            .Single(candidate => metadata.GetString(candidate.Name) == resourceName);
        // The resources section holds each resource as its length (4 bytes, little-endian) followed by its bytes.
        var section = pe.GetSectionData(pe.PEHeaders.CorHeader!.ResourcesDirectory.RelativeVirtualAddress).GetReader();
        section.Offset = checked((int)resource.Offset);
        var length = section.ReadInt32();
        if (new FileInfo(path) is { Exists: true } existing && existing.Length == length) return path;

        Directory.CreateDirectory(directory);
        // Written beside and renamed into place, so that a process starting meanwhile never loads half a model.
        var partial = $"{path}.{Environment.ProcessId}.partial";
        using (var file = File.Create(partial))
        {
            var buffer = new byte[1 << 16];
            for (var left = length; left > 0; left -= buffer.Length)
            {
                var count = Math.Min(left, buffer.Length);
                section.ReadBytes(count, buffer, 0);
                file.Write(buffer, 0, count);
            }
        }
        File.Move(partial, path, overwrite: true);
        return path;
    }
}
