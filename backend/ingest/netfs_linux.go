package ingest

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// networkMagic are statfs f_type values of file systems served over the
// network: their servers send no inotify events for changes made elsewhere.
var networkMagic = map[int64]string{
	0x6969:     "nfs",
	0x517b:     "smb",
	0xff534d42: "cifs",
	0xfe534d42: "smb2",
	0x564c:     "ncp",
	0x5346414f: "afs",
	0x73757245: "coda",
	0x01021997: "9p",
	0x00c36400: "ceph",
	0x0bd00bd0: "lustre",
	0x47504653: "gpfs",
}

const fuseMagic = 0x65735546

// networkTypes are /proc/mounts types of network file systems; FUSE ones
// appear as fuse.<program>.
var networkTypes = map[string]bool{
	"nfs": true, "nfs4": true, "cifs": true, "smb3": true, "smbfs": true, "ncpfs": true, "afs": true,
	"coda": true, "9p": true, "ceph": true, "glusterfs": true, "lustre": true, "gpfs": true, "beegfs": true,
	"davfs": true, "fuse.sshfs": true, "fuse.rclone": true, "fuse.s3fs": true, "fuse.gcsfuse": true,
	"fuse.goofys": true, "fuse.juicefs": true, "fuse.davfs": true, "fuse.curlftpfs": true,
	"fuse.smbnetfs": true, "fuse.ceph-fuse": true, "fuse.glusterfs": true, "fuse.blobfuse": true,
	"fuse.blobfuse2": true,
}

// networkFS reports whether path lives on a network file system, and which.
func networkFS(path string) (bool, string) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(path, &st); err == nil {
		if name, ok := networkMagic[int64(st.Type)&0xffffffff]; ok {
			return true, name
		}
		if int64(st.Type)&0xffffffff != fuseMagic {
			return false, ""
		}
	}
	// FUSE (or statfs failed): the mount table names the program.
	f, err := os.Open("/proc/mounts")
	if err != nil {
		return false, ""
	}
	defer f.Close()
	typ := mountTypeOf(f, path)
	return networkTypes[typ], typ
}

// mountTypeOf finds the file system type of the mount holding path in a
// /proc/mounts table: the longest mount point that contains it.
func mountTypeOf(mounts io.Reader, path string) string {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	best, typ := -1, ""
	sc := bufio.NewScanner(mounts)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 3 {
			continue
		}
		mnt := unescapeMount(fields[1])
		if within(path, mnt) && len(mnt) > best {
			best, typ = len(mnt), fields[2]
		}
	}
	return typ
}

// unescapeMount undoes /proc/mounts' octal escapes (\040 is a space).
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) {
			if v, ok := octal(s[i+1 : i+4]); ok {
				b.WriteByte(v)
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func octal(s string) (byte, bool) {
	if len(s) != 3 {
		return 0, false
	}
	var v int
	for _, c := range s {
		if c < '0' || c > '7' {
			return 0, false
		}
		v = v*8 + int(c-'0')
	}
	return byte(v), v < 256
}
