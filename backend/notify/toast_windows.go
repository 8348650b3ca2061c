package notify

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

// Toast shows a Windows toast through PowerShell's WinRT bridge (present on Windows 10 and
// 11). The title and body reach the script as environment variables, never as script text.
type Toast struct{}

// System is the notifier of this OS: a toast.
func System() Notifier { return Toast{} }

// toastScript shows a two-line toast. An app must be registered to show toasts under its own
// name, which a portable .exe is not: the toast is shown under PowerShell's id.
const toastScript = `
[Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications, ContentType = WindowsRuntime] > $null
$xml = [Windows.UI.Notifications.ToastNotificationManager]::GetTemplateContent([Windows.UI.Notifications.ToastTemplateType]::ToastText02)
$text = $xml.GetElementsByTagName('text')
$text.Item(0).AppendChild($xml.CreateTextNode($env:REELVAULT_NOTICE_TITLE)) > $null
$text.Item(1).AppendChild($xml.CreateTextNode($env:REELVAULT_NOTICE_BODY)) > $null
$id = '{1AC14E77-02E7-4E5D-B744-2EB1AE5198B7}\WindowsPowerShell\v1.0\powershell.exe'
[Windows.UI.Notifications.ToastNotificationManager]::CreateToastNotifier($id).Show([Windows.UI.Notifications.ToastNotification]::new($xml))
`

func (Toast) Notify(ctx context.Context, n Notice) error {
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	n = n.tidy()
	cmd := exec.CommandContext(ctx, "powershell.exe", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass",
		"-WindowStyle", "Hidden", "-Command", toastScript)
	cmd.Env = append(os.Environ(), "REELVAULT_NOTICE_TITLE="+n.Title, "REELVAULT_NOTICE_BODY="+n.Body)
	cmd.SysProcAttr = &syscall.SysProcAttr{HideWindow: true}
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("toast: %w: %s", err, clip(string(out), 300))
	}
	return nil
}
