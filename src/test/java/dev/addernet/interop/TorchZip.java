package dev.addernet.interop;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32;

/**
 * A zip archive laid out byte for byte as torch.save (torch >= 1.6) writes one: PyTorch's
 * {@code PyTorchStreamWriter} (caffe2/serialize/inline_container.cc) on its copy of miniz 2.1, which is
 * built with {@code MINIZ_NO_TIME} and opened with {@code MZ_ZIP_FLAG_WRITE_ZIP64}. What a reader meets:
 * <ul>
 *   <li>every entry is stored (method 0), and its data starts on a 64-byte boundary: the local header's
 *       extra field is a block tagged {@code FB} filled with 'Z's to the boundary (getPadding);</li>
 *   <li>the local header leaves CRC and sizes 0 and sets flag bit 3, so a data descriptor (CRC, sizes)
 *       follows the data; bit 11 (UTF-8 names) is set too, times and dates are 0;</li>
 *   <li>the central directory repeats the sizes and CRC; a zip64 end-of-central-directory record and its
 *       locator come before the ordinary end record, whatever the archive's size.</li>
 * </ul>
 * A stored entry with a data descriptor is something {@code java.util.zip.ZipInputStream} refuses
 * ("only DEFLATED entries can have EXT descriptor"): a reader has to go through the central directory.
 */
final class TorchZip {
    private static final int ALIGNMENT = 64, LOCAL_HEADER = 30, FLAGS = 0x0808;

    private final String archive;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), central = new ByteArrayOutputStream();
    private int entries;

    /** @param archive the folder every entry is in: "archive" when torch.save writes to a file object, else the file's base name */
    TorchZip(String archive) {
        this.archive = archive;
    }

    /** Adds {@code archive/name} (PyTorchStreamWriter::writeRecord). */
    TorchZip record(String name, byte[] data) {
        byte[] fullName = (archive + "/" + name).getBytes(UTF_8);
        int offset = out.size();
        int start = offset + LOCAL_HEADER + fullName.length + 4;
        int padding = (ALIGNMENT - start % ALIGNMENT) % ALIGNMENT;
        CRC32 crc = new CRC32();
        crc.update(data);

        le(out, 0x04034b50, 4);                 // local file header signature
        le(out, 0, 2);                          // version needed: 0 for a stored entry
        le(out, FLAGS, 2);
        le(out, 0, 2);                          // method: stored
        le(out, 0, 2);                          // time
        le(out, 0, 2);                          // date
        le(out, 0, 4);                          // CRC, compressed and uncompressed size: in the data descriptor
        le(out, 0, 4);
        le(out, 0, 4);
        le(out, fullName.length, 2);
        le(out, 4 + padding, 2);                // extra field length
        out.writeBytes(fullName);
        out.write('F');
        out.write('B');
        le(out, padding, 2);
        for (int i = 0; i < padding; i++) out.write('Z');
        out.writeBytes(data);
        le(out, 0x08074b50, 4);                 // data descriptor
        le(out, crc.getValue(), 4);
        le(out, data.length, 4);
        le(out, data.length, 4);

        le(central, 0x02014b50, 4);             // central directory header
        le(central, 0, 2);                      // version made by
        le(central, 0, 2);                      // version needed
        le(central, FLAGS, 2);
        le(central, 0, 2);                      // method
        le(central, 0, 2);                      // time
        le(central, 0, 2);                      // date
        le(central, crc.getValue(), 4);
        le(central, data.length, 4);
        le(central, data.length, 4);
        le(central, fullName.length, 2);
        le(central, 0, 2);                      // extra field length
        le(central, 0, 2);                      // comment length
        le(central, 0, 2);                      // disk number
        le(central, 0, 2);                      // internal attributes
        le(central, 0, 4);                      // external attributes
        le(central, offset, 4);
        central.writeBytes(fullName);
        entries++;
        return this;
    }

    /** The archive: entries, central directory, zip64 end record and locator, end record (mz_zip_writer_finalize_archive). */
    byte[] finish() {
        int directoryAt = out.size(), directorySize = central.size();
        out.writeBytes(central.toByteArray());
        int zip64EndAt = out.size();
        le(out, 0x06064b50, 4);                 // zip64 end of central directory record
        le(out, 44, 8);                         // its size after this field
        le(out, 0x031e, 2);                     // version made by
        le(out, 0x002d, 2);                     // version needed: 4.5, zip64
        le(out, 0, 4);                          // this disk
        le(out, 0, 4);                          // disk of the central directory
        le(out, entries, 8);
        le(out, entries, 8);
        le(out, directorySize, 8);
        le(out, directoryAt, 8);
        le(out, 0x07064b50, 4);                 // zip64 end of central directory locator
        le(out, 0, 4);                          // disk of the zip64 end record
        le(out, zip64EndAt, 8);
        le(out, 1, 4);                          // disks
        le(out, 0x06054b50, 4);                 // end of central directory record
        le(out, 0, 2);
        le(out, 0, 2);
        le(out, entries, 2);
        le(out, entries, 2);
        le(out, directorySize, 4);
        le(out, directoryAt, 4);
        le(out, 0, 2);                          // comment length
        return out.toByteArray();
    }

    private static void le(ByteArrayOutputStream to, long v, int bytes) {
        for (int i = 0; i < bytes; i++) to.write((int) (v >>> (8 * i)) & 0xff);
    }
}
