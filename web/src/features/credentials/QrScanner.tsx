import { useEffect, useRef, useState } from 'react';
import { useCredentialsText } from './text.ts';

/** The part of the Barcode Detection API we use (not in TypeScript's DOM types yet). */
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<Array<{ rawValue: string }>>;
}
type BarcodeDetectorConstructor = new (options: { formats: string[] }) => BarcodeDetectorLike;

function detectorClass(): BarcodeDetectorConstructor | null {
  const candidate = (globalThis as { BarcodeDetector?: BarcodeDetectorConstructor }).BarcodeDetector;
  return candidate && typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getUserMedia === 'function' ? candidate : null;
}

/**
 * Reads a QR code with the camera where the browser has a barcode detector (Chrome on Android,
 * macOS, ChromeOS); elsewhere it renders nothing, and pasting the text remains the way.
 */
export function QrScanner({ onText }: { onText: (text: string) => void }) {
  const { c } = useCredentialsText();
  const Detector = detectorClass();
  const video = useRef<HTMLVideoElement>(null);
  const [scanning, setScanning] = useState(false);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (!scanning || !Detector) return;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const detector = new Detector({ formats: ['qr_code'] });
    const look = async () => {
      if (stopped || !video.current) return;
      try {
        const [found] = await detector.detect(video.current);
        if (found?.rawValue) {
          onText(found.rawValue);
          setScanning(false);
          return;
        }
      } catch {
        // a frame not ready yet: try the next one
      }
      timer = setTimeout(() => void look(), 300);
    };
    void navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' } })
      .then(async (media) => {
        stream = media;
        if (stopped || !video.current) return;
        video.current.srcObject = media;
        await video.current.play();
        void look();
      })
      .catch(() => {
        setFailed(true);
        setScanning(false);
      });
    return () => {
      stopped = true;
      clearTimeout(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, [scanning, Detector, onText]);

  if (!Detector) return null;
  return (
    <span className="credentials-scan">
      <button type="button" className="button button-secondary button-small" onClick={() => { setFailed(false); setScanning(!scanning); }}>
        {scanning ? c('credentials.present.scanStop') : c('credentials.present.scan')}
      </button>
      {scanning && <video ref={video} muted playsInline className="credentials-scan-video" aria-label={c('credentials.present.scan')} />}
      {failed && <span role="alert">{c('credentials.present.scanFailed')}</span>}
    </span>
  );
}
