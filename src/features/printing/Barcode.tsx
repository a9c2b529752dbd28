// An order number as a CODE128 barcode (JsBarcode draws it as SVG; no inline styles, so the CSP allows it).
import JsBarcode from 'jsbarcode';
import { useEffect, useRef } from 'react';

export function Barcode({ value, label }: { value: string; label: string }) {
  const ref = useRef<SVGSVGElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    try {
      JsBarcode(ref.current, value, {
        format: 'CODE128',
        displayValue: false,
        height: 48,
        width: 2,
        margin: 0,
        background: '#ffffff',
        lineColor: '#000000',
      });
    } catch {
      // A value CODE128 can't encode: the number is printed as text beside it anyway.
    }
  }, [value]);
  return <svg ref={ref} className="barcode" role="img" aria-label={label} data-barcode={value} />;
}
